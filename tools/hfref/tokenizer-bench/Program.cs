// Usage: TokenizerBench TEXT_FILE TOKENIZER_JSON...
//        TokenizerBench --chats CHAT_TOKENS_FOLDER TOKENIZERS_FOLDER [REPEATS]
// Encodes TEXT_FILE, cut into chunks of about 2,000 characters at line ends, with each tokenizer
// twice: the workbench's HuggingFaceTokenizer and Hugging Face's Rust library (Tokenizers.DotNet),
// checks that both give the same ids (without special tokens: the file's post-processor is removed
// for the Rust side) and prints tokens per second for each, after one warm-up pass, over at least
// 3 seconds of passes. The cores of the machine may be shared: say its load beside the numbers.
// --chats: per family fixture of tests/GenRM.Tests/Fixtures/chat-tokens, its whole-chat texts (every
// rendered chat, inference prompt and training sequence), with the family's real tokenizer from
// TOKENIZERS_FOLDER/<name>/tokenizer.json: both sides must give the fixture's ids; then REPEATS
// rounds (default 5), each timing C# then Rust on the same texts for at least 1 s apiece, and the
// median tokens/s of each side over the rounds.
using System.Diagnostics;
using System.Text.Json.Nodes;
using GenRM.Text;
using Tokenizers.DotNet;

if (args.Length >= 3 && args[0] == "--chats")
    return ChatBench(args[1], args[2], args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 5);
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: TokenizerBench TEXT_FILE TOKENIZER_JSON... | TokenizerBench --chats CHAT_TOKENS_FOLDER TOKENIZERS_FOLDER [REPEATS]");
    return 2;
}
string[] chunks = Chunks(File.ReadAllText(args[0]), 2000);
Console.WriteLine($"text: {args[0]}, {chunks.Sum(c => c.Length)} characters in {chunks.Length} chunks");
Console.WriteLine("tokenizer | tokens | C# tokens/s | Rust tokens/s | C#/Rust | ids equal");
foreach (string path in args[1..])
{
    var ours = HuggingFaceTokenizer.Load(path);
    var rust = RustWithoutSpecialTokens(path);
    bool equal = chunks.All(c => ours.Encode(c).SequenceEqual(rust.Encode(c).Select(id => (int)id)));
    var (tokens, oursRate) = Rate(c => ours.Encode(c).Length);
    var (_, rustRate) = Rate(c => rust.Encode(c).Length);
    Console.WriteLine($"{Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))}/{Path.GetFileName(path)} | {tokens} | {oursRate / 1e6:0.00} M | {rustRate / 1e6:0.00} M | {oursRate / rustRate:0.00} | {(equal ? "yes" : "NO")}");
}
return 0;

static Tokenizer RustWithoutSpecialTokens(string path)
{
    string withoutPostProcessor = Path.GetTempFileName();
    var root = JsonNode.Parse(File.ReadAllText(path))!;
    root["post_processor"] = null;
    File.WriteAllText(withoutPostProcessor, root.ToJsonString());
    var rust = new Tokenizer(withoutPostProcessor);
    File.Delete(withoutPostProcessor);
    return rust;
}

static int ChatBench(string fixtures, string tokenizers, int repeats)
{
    Console.WriteLine($"whole-chat texts per family, {repeats} rounds of C# then Rust (at least 1 s each), median tokens/s");
    Console.WriteLine("family | tokenizer | texts | tokens | C# tokens/s | Rust tokens/s | C#/Rust | ids equal to the fixture (C#, Rust)");
    foreach (string file in Directory.GetFiles(fixtures, "*.json").Order(StringComparer.Ordinal))
    {
        var fixture = JsonNode.Parse(File.ReadAllText(file))!;
        string name = fixture["tokenizer"]!.GetValue<string>();
        string path = Path.Combine(tokenizers, name, "tokenizer.json");
        if (!File.Exists(path))
        {
            Console.WriteLine($"{fixture["family"]} | {name} | skipped: no {path}");
            continue;
        }
        var texts = new List<(string Text, int[] Ids)>();
        foreach (var item in fixture["cases"]!.AsArray().Where(c => c!["text"] is not null))
            texts.Add((item!["text"]!.GetValue<string>(), Ids(item["ids"]!)));
        foreach (var item in fixture["training"]!.AsArray().Where(c => c!["whole"] is not null))
        {
            texts.Add((item!["prompt"]!.GetValue<string>(), Ids(item["prompt_ids"]!)));
            texts.Add((item["whole"]!.GetValue<string>(), Ids(item["whole_ids"]!)));
        }
        var ours = HuggingFaceTokenizer.Load(path);
        var rust = RustWithoutSpecialTokens(path);
        bool oursEqual = texts.All(t => ours.Encode(t.Text).SequenceEqual(t.Ids));
        bool rustEqual = texts.All(t => rust.Encode(t.Text).Select(id => (int)id).SequenceEqual(t.Ids));
        long tokens = texts.Sum(t => (long)t.Ids.Length);
        var oursRates = new List<double>();
        var rustRates = new List<double>();
        for (int round = 0; round < repeats; round++)
        {
            oursRates.Add(TimedRate(() => texts.Sum(t => (long)ours.Encode(t.Text).Length)));
            rustRates.Add(TimedRate(() => texts.Sum(t => (long)rust.Encode(t.Text).Length)));
        }
        double oursMedian = Median(oursRates), rustMedian = Median(rustRates);
        Console.WriteLine($"{fixture["family"]} | {name} | {texts.Count} | {tokens} | {oursMedian / 1e6:0.00} M | {rustMedian / 1e6:0.00} M | {oursMedian / rustMedian:0.00} | {(oursEqual ? "yes" : "NO")}, {(rustEqual ? "yes" : "NO")}");
    }
    return 0;

    static int[] Ids(JsonNode node) => [.. node.AsArray().Select(id => id!.GetValue<int>())];

    // Passes over all texts for at least 1 s, after one untimed pass; tokens per second.
    static double TimedRate(Func<long> pass)
    {
        pass();
        var clock = Stopwatch.StartNew();
        long counted = 0;
        do
            counted += pass();
        while (clock.Elapsed.TotalSeconds < 1);
        return counted / clock.Elapsed.TotalSeconds;
    }

    static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

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
