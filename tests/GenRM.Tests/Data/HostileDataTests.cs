using System.Diagnostics;
using System.Text;
using GenRM.Data;

namespace GenRM.Tests.Data;

/// <summary>Preference files built to hurt: a million columns, deep nesting, broken text, byte-order marks and CRLF line ends.</summary>
public sealed class HostileDataTests : IDisposable
{
    readonly TempDirectory folder = new();

    public void Dispose() => folder.Dispose();

    const string Pair = """{"prompt": "2+2?", "chosen": "4", "rejected": "5"}""";

    [Fact]
    public void RecordWithAMillionColumnsIsReadInBoundedTimeAndMemory()
    {
        var line = new StringBuilder("""{"prompt": "2+2?", "chosen": "4", "rejected": "5" """);
        for (int i = 0; i < 1_000_000; i++)
            line.Append(",\"c").Append(i).Append("\":0");
        line.Append('}');
        string path = TestFiles.Lines(folder, "wide.jsonl", line.ToString(), Pair);
        long fileBytes = new FileInfo(path).Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var data = PreferenceReader.Read(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(["4", "4"], data.Pairs.Select(p => p.Chosen));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        // Linear in the line: its bytes, their parsed copy and the parser's 12-byte row per token, each grown by doubling.
        Assert.True(allocated < 12 * fileBytes, $"allocated {allocated:N0} bytes for a {fileBytes:N0}-byte file");
    }

    [Fact]
    public void DeepNestingIsAMalformedLineNotACrash()
    {
        string deep = new string('[', 100_000) + new string(']', 100_000);
        string path = TestFiles.Lines(folder, "deep.jsonl", Pair, deep, Pair.Replace("5", "five", StringComparison.Ordinal));
        var data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient);
        Assert.Equal(2, data.Pairs.Length);
        var problem = Assert.Single(data.Report.Problems);
        Assert.Equal((2L, DataProblemKind.MalformedJson), (problem.Number, problem.Kind));

        string array = TestFiles.Text(folder, "deep.json", "[" + Pair + "," + deep + "]");
        var error = Assert.Throws<BadInputException>(() => PreferenceReader.Read(array));
        Assert.StartsWith(array + ": line 1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ByteOrderMarkAndCrlfLineEndsReadLikePlainLines()
    {
        string plain = TestFiles.Lines(folder, "plain.jsonl", Pair, Pair.Replace("4", "four", StringComparison.Ordinal));
        string windows = folder.File("windows.jsonl");
        File.WriteAllBytes(windows, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(string.Join("\r\n", File.ReadAllLines(plain)) + "\r\n")]);
        string array = folder.File("windows.json");
        File.WriteAllBytes(array, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("[\r\n" + string.Join(",\r\n", File.ReadAllLines(plain)) + "\r\n]\r\n")]);

        var expected = PreferenceReader.Read(plain);
        foreach (string path in new[] { windows, array })
        {
            var data = PreferenceReader.Read(path);
            Assert.Empty(data.Report.Problems);
            Assert.Equal(expected.Pairs.Select(p => (p.Prompt[0].Content, p.Chosen, p.Rejected)), data.Pairs.Select(p => (p.Prompt[0].Content, p.Chosen, p.Rejected)));
        }
    }

    [Fact]
    public void BrokenTextInAJsonArrayIsAnInvalidUtf8ItemNotACrash()
    {
        string path = folder.File("broken.json");
        byte[] invalidUtf8 = Encoding.UTF8.GetBytes("""{"prompt": "x", "chosen": "y", "rejected": "z"}""");
        invalidUtf8[12] = 0xFF;
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("[" + Pair + ","), .. invalidUtf8, .. Encoding.UTF8.GetBytes(""",{"prompt": "\ud800", "chosen": "a", "rejected": "b"}]""")]);

        var data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient);

        Assert.Single(data.Pairs);
        Assert.Equal([(2L, DataProblemKind.InvalidUtf8), (3L, DataProblemKind.InvalidUtf8)], data.Report.Problems.Select(p => (p.Number, p.Kind)));
        var error = Assert.Throws<BadInputException>(() => PreferenceReader.Read(path));
        Assert.StartsWith(path + ": item 2: the item holds text that is not valid UTF-8", error.Message, StringComparison.Ordinal);
    }
}
