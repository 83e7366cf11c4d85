using System.Text.Json.Nodes;
using GenRM.Generation;
using GenRM.Modeling;
using static TorchSharp.torch;

namespace GenRM.Tests.Modeling;

/// <summary>
/// Our model against transformers itself: tools/make_hf_reference.py saves tiny random Llama and
/// Qwen2 models with their tokenizers and writes their logits and greedy generations; here the same
/// folders are loaded through <see cref="PretrainedModel"/> and must agree within 1e-4.
/// </summary>
public sealed class HuggingFaceParityTests
{
    static readonly string FixturesFolder = Path.Combine(TestPaths.RepositoryRoot, "tests", "GenRM.Tests", "Fixtures", "hf-reference");

    static List<string> FixtureFolders()
    {
        var folders = Directory.Exists(FixturesFolder)
            ? Directory.EnumerateDirectories(FixturesFolder).Where(d => File.Exists(Path.Combine(d, "reference.json"))).Order(StringComparer.Ordinal).ToList()
            : [];
        Skip.If(folders.Count == 0, $"No Hugging Face reference fixtures in {FixturesFolder}; run tools/make_hf_reference.py where transformers is installed (see tools/README.md).");
        return folders;
    }

    [SkippableFact]
    public void LogitsMatchTransformersWithinOneInTenThousand()
    {
        foreach (string folder in FixtureFolders())
        {
            using var loaded = PretrainedModel.Load(folder);
            foreach (JsonNode? prompt in Reference(folder)["prompts"]!.AsArray())
            {
                using var scope = NewDisposeScope();
                long[] ids = prompt!["input_ids"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
                float[][] expected = prompt["all_logits"]!.AsArray().Select(row => row!.AsArray().Select(x => x!.GetValue<float>()).ToArray()).ToArray();
                Tensor actual = loaded.Model.Forward(tensor(ids).unsqueeze(0))[0];
                Tensor reference = tensor(expected.SelectMany(r => r).ToArray(), [expected.Length, expected[0].Length]);
                double difference = (actual - reference).abs().max().item<float>();
                Assert.True(difference < 1e-4, $"{Path.GetFileName(folder)}: logits differ by {difference} for prompt [{string.Join(", ", ids)}]");
            }
        }
    }

    [SkippableFact]
    public void GreedyGenerationMatchesTransformers()
    {
        foreach (string folder in FixtureFolders())
        {
            using var loaded = PretrainedModel.Load(folder);
            var generator = new TextGenerator(loaded.Model, loaded.Tokenizer);
            foreach (JsonNode? prompt in Reference(folder)["prompts"]!.AsArray())
            {
                int[] ids = prompt!["input_ids"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
                int[] expected = prompt["greedy_new_tokens"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
                var completion = generator.Generate([ids], new GenerationOptions { MaxNewTokens = expected.Length, Temperature = 0, EosIds = [] })[0];
                Assert.Equal(expected, completion.TokenIds);
            }
        }
    }

    [SkippableFact]
    public void TokenizerMatchesHuggingFaceTokenizers()
    {
        foreach (string folder in FixtureFolders())
        {
            using var loaded = PretrainedModel.Load(folder);
            foreach (JsonNode? sample in Reference(folder)["tokenizer_samples"]?.AsArray() ?? [])
            {
                string text = sample!["text"]!.GetValue<string>();
                int[] expected = sample["input_ids"]!.AsArray().Select(x => x!.GetValue<int>()).ToArray();
                Assert.Equal(expected, loaded.Tokenizer.Encode(text));
                Assert.Equal(text, loaded.Tokenizer.Decode(expected));
            }
        }
    }

    static JsonNode Reference(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "reference.json")))!;
}
