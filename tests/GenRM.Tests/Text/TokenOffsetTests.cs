using System.Text.Json;
using System.Text.Json.Nodes;
using GenRM.Text;
using Xunit.Abstractions;

namespace GenRM.Tests.Text;

/// <summary>
/// <see cref="HuggingFaceTokenizer.EncodeWithOffsets"/> against Hugging Face's Rust library: the
/// characters each token stands for, for every text of the tokenizer references
/// (Fixtures/tokenizers/&lt;name&gt;.offsets.json, written by tools/hfref/tokenizers-node/offsets.js
/// with the library's Node binding, in code points as transformers counts them). The synthetic
/// tokenizers cover every normalizer, pre-tokenizer and post-processor kind read (NFKC, NFD with
/// StripAccents, Lowercase, Strip, Prepend and Replace; Metaspace, ByteLevel, Split; RobertaProcessing's
/// trim_offsets); the real ones are skipped when their files are absent.
/// </summary>
public sealed class TokenOffsetTests(ITestOutputHelper output)
{
    public static TheoryData<string> Synthetic => TokenizerReferenceTests.Synthetic;

    public static TheoryData<string> Real => TokenizerReferenceTests.Real;

    [Theory]
    [MemberData(nameof(Synthetic))]
    public void SyntheticTokenizerOffsetsEqualTheRustLibrarys(string name) =>
        Check(name, TestPaths.Fixtures("tokenizers", name + ".tokenizer.json"));

    [SkippableTheory]
    [MemberData(nameof(Real))]
    public void RealTokenizerOffsetsEqualTheRustLibrarys(string name) =>
        Check(name, RealTokenizers.PathOrSkip(name, $"the {name} offsets reference"));

    [Fact]
    public void AnAddedTokenStandsForItsTextAndEachByteTokenForItsWholeCharacter()
    {
        var tokenizer = HuggingFaceTokenizer.Load(TestPaths.Fixtures("tokenizers", "synthetic-falcon-style.tokenizer.json"));
        const string text = "ab<|endoftext|>\U0001F600";
        var encoded = tokenizer.EncodeWithOffsets(text);
        Assert.Equal(tokenizer.Encode(text), encoded.Ids);
        int special = Array.IndexOf(encoded.Ids, tokenizer.TokenToId("<|endoftext|>")!.Value);
        Assert.Equal(new CharSpan(2, 15), encoded.Offsets[special]);
        // The emoji is four bytes, more than one token here, each standing for both of its UTF-16 units.
        Assert.True(encoded.Ids.Length - special - 1 > 1);
        Assert.All(encoded.Offsets[(special + 1)..], o => Assert.Equal(new CharSpan(15, 17), o));
        Assert.Equal(special + 1, encoded.TokenAt(15));
        Assert.Null(encoded.TokenAt(17));
    }

    void Check(string name, string tokenizerPath)
    {
        var reference = JsonNode.Parse(File.ReadAllText(TestPaths.Fixtures("tokenizers", name + ".reference.json")))!;
        var offsets = JsonNode.Parse(File.ReadAllText(TestPaths.Fixtures("tokenizers", name + ".offsets.json")))!;
        RealTokenizers.AssertIsTheReferenceFile(tokenizerPath, offsets["sha256"]!.GetValue<string>());
        var tokenizer = HuggingFaceTokenizer.Load(tokenizerPath);
        var samples = reference["samples"]!.AsArray();
        var expected = offsets["offsets"]!.AsArray();
        Assert.Equal(samples.Count, expected.Count);
        var differences = new List<string>();
        int tokens = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            string text = samples[i]!["text"]!.GetValue<string>();
            var encoded = tokenizer.EncodeWithOffsets(text);
            Assert.Equal(Ids(samples[i]!["ids"]!), encoded.Ids);
            var positions = new CodePointPositions(text);
            int[] ours = [.. encoded.Offsets.SelectMany(o => new[] { positions.CodePoint(o.Start), positions.CodePoint(o.End) })];
            int[] theirs = Ids(expected[i]!);
            tokens += encoded.Ids.Length;
            if (!ours.SequenceEqual(theirs))
                differences.Add($"{JsonSerializer.Serialize(text)}: expected [{string.Join(", ", theirs)}], got [{string.Join(", ", ours)}]");

            // With special tokens: the same offsets, the added ones standing for no text.
            var withSpecial = tokenizer.EncodeWithOffsets(text, addSpecialTokens: true);
            Assert.Equal(Ids(samples[i]!["ids_with_special_tokens"]!), withSpecial.Ids);
            int n = encoded.Ids.Length;
            Assert.True(Enumerable.Range(0, withSpecial.Ids.Length - n + 1).Any(p =>
                    withSpecial.Ids.AsSpan(p, n).SequenceEqual(encoded.Ids)
                    && withSpecial.Offsets.AsSpan(p, n).SequenceEqual(encoded.Offsets)
                    && withSpecial.Offsets.Where((_, t) => t < p || t >= p + n).All(o => o == default)),
                $"{JsonSerializer.Serialize(text)} with special tokens: offsets [{string.Join(", ", withSpecial.Offsets)}]");
        }
        output.WriteLine($"{name}: {samples.Count} texts, {tokens} tokens, offsets of {differences.Count} texts differ");
        Assert.True(differences.Count == 0, $"{differences.Count} texts' offsets differ from the Rust library's (code points), first ones:\n" + string.Join("\n", differences.Take(6)));
    }

    static int[] Ids(JsonNode node) => [.. node.AsArray().Select(id => id!.GetValue<int>())];
}
