// Usage: TokenizerBench TEXT_FILE TOKENIZER_JSON...
// Encodes TEXT_FILE, cut into chunks of about 2,000 characters at line ends, with each tokenizer
// twice: the workbench's HuggingFaceTokenizer and Hugging Face's Rust library (Tokenizers.DotNet),
// checks that both give the same ids (without special tokens: the file's post-processor is removed
// for the Rust side) and prints tokens per second for each, after one warm-up pass, over at least
// 3 seconds of passes. The cores of the machine may be shared: say its load beside the numbers.
using System.Diagnostics;
using System.Text.Json.Nodes;
using GenRM.Text;
using Tokenizers.DotNet;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: TokenizerBench TEXT_FILE TOKENIZER_JSON...");
    return 2;
}
string[] chunks = Chunks(File.ReadAllText(args[0]), 2000);
Console.WriteLine($"text: {args[0]}, {chunks.Sum(c => c.Length)} characters in {chunks.Length} chunks");
Console.WriteLine("tokenizer | tokens | C# tokens/s | Rust tokens/s | C#/Rust | ids equal");
foreach (string path in args[1..])
{
    var ours = HuggingFaceTokenizer.Load(path);
    string withoutPostProcessor = Path.GetTempFileName();
    var root = JsonNode.Parse(File.ReadAllText(path))!;
    root["post_processor"] = null;
    File.WriteAllText(withoutPostProcessor, root.ToJsonString());
    var rust = new Tokenizer(withoutPostProcessor);
    File.Delete(withoutPostProcessor);

    bool equal = chunks.All(c => ours.Encode(c).SequenceEqual(rust.Encode(c).Select(id => (int)id)));
    var (tokens, oursRate) = Rate(c => ours.Encode(c).Length);
    var (_, rustRate) = Rate(c => rust.Encode(c).Length);
    Console.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))}/{Path.GetFileName(path)} | {tokens} | {oursRate / 1e6:0.00} M | {rustRate / 1e6:0.00} M | {oursRate / rustRate:0.00} | {(equal ? "yes" : "NO")}");
}
return 0;

(long Tokens, double PerSecond) Rate(Func<string, int> encode)
{
    long tokens = chunks.Sum(c => (long)encode(c)); // warm-up (fills the BPE caches)
    var clock = Stopwatch.StartNew();
    long counted = 0;
    do
    {
        foreach (string chunk in chunks)
            counted += encode(chunk);
    }
    while (clock.Elapsed.TotalSeconds < 3);
    return (tokens, counted / clock.Elapsed.TotalSeconds);
}

static string[] Chunks(string text, int size)
{
    var chunks = new List<string>();
    for (int start = 0; start < text.Length;)
    {
        int end = Math.Min(text.Length, start + size);
        int newline = end < text.Length ? text.LastIndexOf('\n', end - 1, end - start) : -1;
        if (newline > start)
            end = newline + 1;
        chunks.Add(text[start..end]);
        start = end;
    }
    return [.. chunks];
}
