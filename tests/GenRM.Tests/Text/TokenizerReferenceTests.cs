using System.Text.Json.Nodes;
using GenRM.Text;

namespace GenRM.Tests.Text;

/// <summary>
/// <see cref="HuggingFaceTokenizer"/> against Hugging Face's Rust tokenizers library: for a few
/// hundred texts per tokenizer, the ids without and with special tokens and the decoded text
/// (special tokens skipped) that <c>tools/make_tokenizer_reference.py</c> recorded. The synthetic
/// tokenizers (one per kind of pipeline) are committed; the real ones are read from
/// <see cref="RealTokenizers.Folder"/> and skipped when absent.
/// </summary>
public sealed class TokenizerReferenceTests
{
    public static TheoryData<string> Synthetic =>
    [
        "synthetic-llama2-style", "synthetic-gemma-style", "synthetic-metaspace-first", "synthetic-metaspace-always-nosplit",
        "synthetic-deepseek-style", "synthetic-split-behaviours", "synthetic-falcon-style", "synthetic-strip-lowercase", "synthetic-whitespace", "synthetic-bert-pre",
    ];

    public static TheoryData<string> Real => ["llama2", "gemma3", "gpt4o", "deepseek_v3", "llama3_1", "qwen3", "mistral_nemo", "gemma2", "qwen2_5", "llama3_2", "gpt4", "gptoss"];

    [Theory]
    [MemberData(nameof(Synthetic))]
    public void SyntheticTokenizerMatchesTheRustLibrary(string name) =>
        Check(name, TestPaths.Fixtures("tokenizers", name + ".tokenizer.json"));

    [SkippableTheory]
    [MemberData(nameof(Real))]
    public void RealTokenizerMatchesTheRustLibrary(string name)
    {
        Check(name, RealTokenizers.PathOrSkip(name, $"the {name} reference"));
    }

    static void Check(string name, string tokenizerPath)
    {
        var reference = JsonNode.Parse(File.ReadAllText(TestPaths.Fixtures("tokenizers", name + ".reference.json")))!;
        RealTokenizers.AssertIsTheReferenceFile(tokenizerPath, reference["sha256"]!.GetValue<string>());

        var tokenizer = HuggingFaceTokenizer.Load(tokenizerPath);
        var differences = new List<string>();
        var samples = reference["samples"]!.AsArray();
        foreach (var sample in samples)
        {
            string text = sample!["text"]!.GetValue<string>();
            int[] without = Ids(sample["ids"]!), with = Ids(sample["ids_with_special_tokens"]!);
            string decoded = sample["decoded"]!.GetValue<string>();
            Compare("ids", without, tokenizer.Encode(text));
            Compare("ids with special tokens", with, tokenizer.Encode(text, addSpecialTokens: true));
            string ours = tokenizer.Decode(with, skipSpecialTokens: true);
            if (ours != decoded)
                differences.Add($"decode of {Show(text)}: expected {Show(decoded)}, got {Show(ours)}");

            void Compare(string what, int[] expected, int[] actual)
            {
                if (!expected.SequenceEqual(actual))
                    differences.Add($"{what} of {Show(text)}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]");
            }
        }
        Assert.True(samples.Count >= 200, $"only {samples.Count} samples");
        Assert.True(differences.Count == 0, $"{differences.Count} differences from the Rust library, first ones:\n" + string.Join("\n", differences.Take(8)));
    }

    static int[] Ids(JsonNode node) => [.. node.AsArray().Select(id => id!.GetValue<int>())];

    static string Show(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
