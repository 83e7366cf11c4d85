// Reads {"tokenizer": path to tokenizer.json, "texts": [...]} from the file named by the first
// argument and prints {"library": ..., "ids": [[...] per text]} as JSON: the ids Hugging Face's Rust
// tokenizers library gives for each text. Used by tools/make_hf_reference.py.
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
var answer = new JsonObject { ["library"] = "Tokenizers.DotNet 1.4.1 (Hugging Face tokenizers " + tokenizer.GetVersion() + ")", ["ids"] = ids };
Console.WriteLine(answer.ToJsonString());
return 0;
