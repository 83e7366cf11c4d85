// Reads {"tokenizer": path to tokenizer.json, "texts": [...], "decode": [[ids], ...] (optional)} from
// the file named by the first argument and prints {"library": ..., "ids": [[...] per text],
// "decoded": [text per id list]} as JSON: what Hugging Face's Rust tokenizers library gives.
// Encode applies the file's post-processor (add_special_tokens=True; give a copy without
// "post_processor" for the ids without special tokens); decode skips special tokens.
// Used by tools/make_hf_reference.py and tools/make_tokenizer_reference.py.
using System.Text.Json;
using System.Text.Json.Nodes;
using Tokenizers.DotNet;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: TokenizerReference request.json");
    return 2;
}
var request = JsonNode.Parse(File.ReadAllText(args[0]))!;
var tokenizer = new Tokenizer(request["tokenizer"]!.GetValue<string>());
var ids = new JsonArray();
foreach (var text in request["texts"]!.AsArray())
    ids.Add(new JsonArray(tokenizer.Encode(text!.GetValue<string>()).Select(id => (JsonNode)(int)id).ToArray()));
var answer = new JsonObject { ["library"] = "Tokenizers.DotNet " + tokenizer.GetVersion() + " (Hugging Face tokenizers 0.22)", ["ids"] = ids };
if (request["decode"] is JsonArray decode)
{
    var decoded = new JsonArray();
    foreach (var list in decode)
        decoded.Add((JsonNode)tokenizer.Decode(list!.AsArray().Select(id => (uint)id!.GetValue<int>()).ToArray()));
    answer["decoded"] = decoded;
}
Console.WriteLine(answer.ToJsonString());
return 0;
