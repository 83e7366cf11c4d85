using System.Text.Json;
using GenRM.IO;
using GenRM.Text.Tokenizers;

namespace GenRM.Text;

/// <summary>
/// The pipeline a Hugging Face <c>tokenizer.json</c> describes: added tokens, normalizer,
/// pre-tokenizer, BPE model, post-processor and decoder. A kind the workbench does not implement
/// (a Unigram or WordPiece model, an unknown pre-tokenizer) is refused with a
/// <see cref="BadInputException"/> naming the field, because a silently different pipeline would
/// give different ids. <c>truncation</c> and <c>padding</c> are ignored, as transformers resets them
/// on every call.
/// </summary>
internal sealed record TokenizerJson(
    BpeModel Model,
    IReadOnlyList<AddedToken> AddedTokens,
    INormalizer? Normalizer,
    IPreTokenizer? PreTokenizer,
    PostProcessor PostProcessor,
    ITokenDecoder? Decoder)
{
    /// <summary>The largest id of the vocabulary or the added tokens, plus one.</summary>
    public int IdCount => Math.Max(Model.Vocabulary.Values.Max(), AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;

    public static TokenizerJson Read(string path)
    {
        using var document = JsonFile.Parse(path);
        return JsonFile.Interpret(path, () => Read(JsonPart.Root(path, document.RootElement)));
    }

    static TokenizerJson Read(JsonPart root)
    {
        if (root.Element.ValueKind != JsonValueKind.Object)
            throw root.Error("expected a JSON object");
        if (root.Optional("model") is not JsonPart { Element.ValueKind: JsonValueKind.Object } model)
            throw root.Error("missing the \"model\" object");
        // Files written by old versions leave the type out of a BPE model.
        if (model.OptionalString("type") is string type && type != "BPE")
            throw model.Required("type").Error($"model type \"{type}\" is not supported (only BPE: byte-level as Llama 3, Qwen, GPT-4o; with byte fallback as Llama 2, Mistral, Gemma)");
        return new TokenizerJson(
            new BpeModel(model),
            [.. root.Items("added_tokens").Select(AddedToken.Read)],
            root.Optional("normalizer") is JsonPart normalizer ? Normalizers.Read(normalizer) : null,
            root.Optional("pre_tokenizer") is JsonPart preTokenizer ? PreTokenizers.Read(preTokenizer) : null,
            root.Optional("post_processor") is JsonPart postProcessor ? PostProcessor.Read(postProcessor) : PostProcessor.None,
            root.Optional("decoder") is JsonPart decoder ? Decoders.Read(decoder) : null);
    }
}
