using System.Text;

namespace GenRM.Text.Tokenizers;

/// <summary>A <c>normalizer</c> of <c>tokenizer.json</c>: rewrites each stretch of text between added tokens before it is split.</summary>
internal interface INormalizer
{
    string Normalize(string text);
}

/// <summary>Reads the normalizers Hugging Face files use (Llama 2 and Mistral: Prepend + Replace; Gemma: Replace; Qwen: NFC).</summary>
internal static class Normalizers
{
    static readonly Dictionary<string, Func<JsonPart, INormalizer>> Readers = new()
    {
        ["Sequence"] = part => new SequenceNormalizer([.. part.Items("normalizers").Select(Read)]),
        ["NFC"] = _ => new UnicodeNormalizer(NormalizationForm.FormC),
        ["NFD"] = _ => new UnicodeNormalizer(NormalizationForm.FormD),
        ["NFKC"] = _ => new UnicodeNormalizer(NormalizationForm.FormKC),
        ["NFKD"] = _ => new UnicodeNormalizer(NormalizationForm.FormKD),
        ["Prepend"] = part => new PrependNormalizer(part.String("prepend")),
        ["Replace"] = part => new ReplaceNormalizer(TextPattern.Read(part.Required("pattern")), part.String("content")),
    };

    public static INormalizer Read(JsonPart part) => part.ReadKind(Readers, "normalizer");
}

internal sealed class SequenceNormalizer(IReadOnlyList<INormalizer> steps) : INormalizer
{
    public string Normalize(string text)
    {
        foreach (var step in steps)
            text = step.Normalize(text);
        return text;
    }
}

internal sealed class UnicodeNormalizer(NormalizationForm form) : INormalizer
{
    public string Normalize(string text) => text.Normalize(form);
}

/// <summary>Puts a prefix before non-empty text (Llama 2's "▁").</summary>
internal sealed class PrependNormalizer(string prefix) : INormalizer
{
    public string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

internal sealed class ReplaceNormalizer(TextPattern pattern, string content) : INormalizer
{
    public string Normalize(string text) => pattern.Replace(text, content);
}
