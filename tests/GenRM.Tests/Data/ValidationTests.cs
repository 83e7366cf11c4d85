using GenRM.Data;

namespace GenRM.Tests.Data;

public sealed class ValidationTests
{
    const string Good = """{"prompt": "p", "chosen": "yes", "rejected": "no"}""";

    static string BrokenFile(TempDirectory folder)
    {
        string path = folder.File("broken.jsonl");
        using var file = File.Create(path);
        foreach (string line in new[]
        {
            Good,
            """{"prompt": "p", "chosen": "yes", "rejec""",                   // 2: truncated
            """{"prompt": "p", "chosen": 42, "rejected": "no"}""",            // 3: wrong type
            "",                                                               // 4: blank, not an item
            """{"prompt": "p", "chosen": "yes"}""",                            // 5: missing field
            """["not", "an", "object"]""",                                      // 6: not an object
        })
            file.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
        file.Write([.. "{\"prompt\": \"caf"u8, 0xE9, .. "\", \"chosen\": \"a\", \"rejected\": \"b\"}\n"u8]); // 7: Latin-1, not UTF-8
        file.Write(System.Text.Encoding.UTF8.GetBytes("""{"prompt": "q", "chosen": "good", "rejected": "bad"}""" + "\n"));
        return path;
    }

    [Fact]
    public void SkippingReportsEveryUnreadableLineWithItsNumberAndKind()
    {
        using var folder = new TempDirectory();

        PreferenceDataSet data = PreferenceReader.Read(BrokenFile(folder), PreferenceReadOptions.Lenient);

        Assert.Equal(["yes", "good"], data.Pairs.Select(p => p.Chosen));
        Assert.Equal((7L, 5L), (data.Report.ItemsSeen, data.Report.ItemsSkipped));
        Assert.Equal(
            [(2L, DataProblemKind.MalformedJson), (3L, DataProblemKind.WrongType), (5L, DataProblemKind.MissingField), (6L, DataProblemKind.WrongType), (7L, DataProblemKind.InvalidUtf8)],
            data.Report.Problems.Select(p => (p.Number, p.Kind)));
        Assert.Contains("'chosen' is a number, not text", data.Report.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("'rejected'", data.Report.Problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FailingNamesTheFileAndTheFirstBadLine()
    {
        using var folder = new TempDirectory();
        string path = BrokenFile(folder);

        var error = Assert.Throws<BadInputException>(() => PreferenceReader.Read(path));

        Assert.StartsWith($"{path}: line 2: malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SuspectPairsAreKeptWithWarningsSkippedWithACountOrFailed()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "suspect.jsonl",
            Good,
            """{"prompt": "p", "chosen": "same", "rejected": "same"}""",
            """{"prompt": "p", "chosen": "  ", "rejected": "no"}""",
            Good,
            """{"prompt": "", "chosen": "a", "rejected": "b"}""");

        PreferenceDataSet kept = PreferenceReader.Read(path);
        PreferenceDataSet skipped = PreferenceReader.Read(path, new PreferenceReadOptions { OnSuspectPair = SuspectPairPolicy.Skip });

        Assert.Equal(5, kept.Pairs.Length);
        Assert.Equal(
            [(2L, DataProblemKind.IdenticalResponses), (3L, DataProblemKind.EmptyResponse), (4L, DataProblemKind.Duplicate), (5L, DataProblemKind.EmptyPrompt)],
            kept.Report.Problems.Select(p => (p.Number, p.Kind)));
        Assert.Contains("already seen at line 1", kept.Report.Problems[2].Message, StringComparison.Ordinal);
        Assert.True(kept.Report.HasNoErrors);
        Assert.Single(skipped.Pairs);
        Assert.Equal(4, skipped.Report.ItemsSkipped);
        var error = Assert.Throws<BadInputException>(() => PreferenceReader.Read(path, new PreferenceReadOptions { OnSuspectPair = SuspectPairPolicy.Fail }));
        Assert.Contains("line 2: the chosen and rejected responses are identical", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LlmBarLabelOutsideOneAndTwoIsABadLabel()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Text(folder, "llmbar.json", """[{"input": "i", "output_1": "a", "output_2": "b", "label": 3}]""");

        PreferenceDataSet data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient);

        DataProblem problem = Assert.Single(data.Report.Problems);
        Assert.Equal((DataProblemKind.BadLabel, "item 1"), (problem.Kind, problem.Location));
    }

    [Fact]
    public void AMalformedJsonArrayStopsWithTheLineNumber()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Text(folder, "array.json", "[\n  {\"prompt\": \"a\", \"chosen\": \"b\", \"rejected\": \"c\"},\n  {\"prompt\": \"a\",, }\n]");

        var error = Assert.Throws<BadInputException>(() => PreferenceReader.Read(path, PreferenceReadOptions.Lenient));

        Assert.StartsWith($"{path}: line 3: malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARunawayLineIsReportedWithoutHoldingItInMemory()
    {
        using var folder = new TempDirectory();
        string path = folder.File("long.jsonl");
        using (var file = File.Create(path))
        {
            file.Write("{\"prompt\": \""u8);
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'a');
            for (int i = 0; i < 40; i++)
                file.Write(block);
            file.Write("\", \"chosen\": \"x\", \"rejected\": \"y\"}\n"u8);
            file.Write((Good + "\n").Select(c => (byte)c).ToArray());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        PreferenceDataSet data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient with { MaxLineBytes = 1 << 20 });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((DataProblemKind.LineTooLong, 1L), (data.Report.Problems.Single().Kind, data.Report.Problems.Single().Number));
        Assert.Single(data.Pairs);
        Assert.True(allocated < 16 << 20, $"allocated {allocated / (1 << 20)} MiB reading a 40 MiB line with a 1 MiB limit");
    }

    [Fact]
    public void BlankLinesAreNotItemsButLineNumbersStayPhysical()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Text(folder, "blank.jsonl", "\r\n" + Good + "\r\n\r\n{\"prompt\": 1, \"chosen\": \"a\", \"rejected\": \"b\"}\r\n\r\n");

        PreferenceDataSet data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient);

        Assert.Single(data.Pairs);
        Assert.Equal((2L, 4L), (data.Report.ItemsSeen, data.Report.Problems.Single().Number));
    }
}
