using GenRM.Tests.Cli;

namespace GenRM.Tests.Data;

/// <summary><c>genrm data inspect</c> through the command line: the report, and one clear line for bad input.</summary>
public sealed class DataInspectCommandTests
{
    static void AssertOneLineBadInput((int Code, string Output, string Error) result, string path, string? location)
    {
        Assert.Equal(1, result.Code);
        string line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"genrm: {path}: {(location is null ? "" : location + ": ")}", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error + result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AGoodFilePrintsFormatCountAndSubsets()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "rb.jsonl",
            """{"prompt": "a", "chosen": "b", "rejected": "c", "subset": "hep-go", "id": 1}""",
            """{"prompt": "a", "chosen": "b", "rejected": "b", "subset": "hep-go", "id": 2}""",
            """{"prompt": "a", "chosen": "d", "rejected": "e", "subset": "donotanswer", "id": 3}""");

        var (code, output, error) = CliContractTests.Run("data", "inspect", path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("format    rewardbench (detected)", output, StringComparison.Ordinal);
        Assert.Contains("pairs     3", output, StringComparison.Ordinal);
        Assert.Contains("subsets   hep-go 2, donotanswer 1", output, StringComparison.Ordinal);
        Assert.Contains("line 2: warning: the chosen and rejected responses are identical", output, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatOptionOverridesDetectionAndUnknownNamesAreBadUsage()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "trl.jsonl", """{"prompt": "a", "chosen": "b", "rejected": "c", "subset": "s", "id": 1}""");

        var (code, output, _) = CliContractTests.Run("data", "inspect", path, "--format", "trl");
        var (badCode, _, badError) = CliContractTests.Run("data", "inspect", path, "--format", "nonsense");

        Assert.Equal(0, code);
        Assert.Contains("format    trl\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Contains("nonsense", badError, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedJsonLineIsOneErrorNamingFileAndLine()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "truncated.jsonl",
            """{"prompt": "a", "chosen": "b", "rejected": "c"}""",
            """{"prompt": "a", "chosen": "b", "rej""");

        var result = CliContractTests.Run("data", "inspect", path);

        AssertOneLineBadInput(result, path, "line 2");
        Assert.Contains("line 2: error: malformed JSON", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongTypeIsOneErrorNamingFileAndLine()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "types.jsonl",
            """{"prompt": "a", "chosen": "b", "rejected": "c"}""",
            """{"prompt": "a", "chosen": ["b"], "rejected": true}""");

        var result = CliContractTests.Run("data", "inspect", path);

        AssertOneLineBadInput(result, path, "line 2");
    }

    [Fact]
    public void MissingFieldIsOneErrorNamingFileLineAndField()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "missing.jsonl",
            """{"prompt": "a", "chosen": "b", "rejected": "c"}""",
            """{"prompt": "a", "chosen": "b"}""");

        var result = CliContractTests.Run("data", "inspect", path);

        AssertOneLineBadInput(result, path, "line 2");
        Assert.Contains("missing field 'rejected'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFileIsOneErrorNamingTheFile()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Text(folder, "empty.jsonl", "");

        var result = CliContractTests.Run("data", "inspect", path);

        AssertOneLineBadInput(result, path, null);
        Assert.Contains("the file is empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsOneErrorNamingTheFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("absent.jsonl");

        AssertOneLineBadInput(CliContractTests.Run("data", "inspect", path), path, null);
    }

    [Fact]
    public void A100MegabyteSingleLineIsOneErrorWithBoundedMemory()
    {
        using var folder = new TempDirectory();
        string path = folder.File("huge.jsonl");
        using (var file = File.Create(path))
        {
            file.Write("{\"prompt\": \""u8);
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)'x');
            for (int i = 0; i < 100; i++)
                file.Write(block);
            file.Write("\", \"chosen\": \"a\", \"rejected\": \"b\"}"u8);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var result = CliContractTests.Run("data", "inspect", path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertOneLineBadInput(result, path, "line 1");
        Assert.Contains("longer than 16 MiB", result.Error, StringComparison.Ordinal);
        Assert.True(allocated < 100 << 20, $"allocated {allocated >> 20} MiB for a 100 MiB line");
    }

    [Fact]
    public void MapOptionReadsAGenericLayoutAndABadMapIsBadUsage()
    {
        using var folder = new TempDirectory();
        string path = TestFiles.Lines(folder, "custom.jsonl", """{"q": "a", "x": "b", "y": "c", "better": 2}""");

        var (code, output, _) = CliContractTests.Run("data", "inspect", path, "--map", "prompt=q,chosen=x,rejected=y,label=better");
        var (badCode, _, badError) = CliContractTests.Run("data", "inspect", path, "--map", "prompt=q,chosen=x");

        Assert.Equal(0, code);
        Assert.Contains("format    generic", output, StringComparison.Ordinal);
        Assert.Contains("pairs     1", output, StringComparison.Ordinal);
        Assert.Equal(2, badCode);
        Assert.Contains("rejected=FIELD", badError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad.parquet", new byte[] { (byte)'P', (byte)'A', (byte)'R', (byte)'1', 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "not a readable Parquet file")]
    [InlineData("bad.jsonl.gz", new byte[] { 0x1F, 0x8B, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, "not a readable gzip file")]
    public void CorruptContainersAreOneErrorNamingTheFile(string name, byte[] bytes, string problem)
    {
        using var folder = new TempDirectory();
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);

        var result = CliContractTests.Run("data", "inspect", path);

        AssertOneLineBadInput(result, path, null);
        Assert.Contains(problem, result.Error, StringComparison.Ordinal);
    }
}
