using System.Text.Json;
using GenRM.Evaluation;
using GenRM.IO;

namespace GenRM.Tests.Evaluation;

public sealed class ResultTableTests
{
    static ResultTable Table()
    {
        var table = new ResultTable();
        table.Add(SectionScoring.Plain(RewardBenchSections.InDistribution, [new("a", "", 1), new("b", "", 0)]).ToRow("genrm"));
        table.AddRange(SectionScoring.RewardBench([new("x", "hep-go", 1), new("y", "llmbar-natural", 0)], seed: 1).ToRows("star-dpo"));
        return table;
    }

    [Fact]
    public void ResultsJsonFollowsTheDesignSchema()
    {
        using var folder = new TempDirectory();
        string path = folder.File("out/results.json");

        Table().WriteResultsJson(path, new RunInfo("smoke", 1, "cpu", new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero), 12.5));

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        Assert.Equal(("smoke", 1, "cpu", 12.5), (root.GetProperty("preset").GetString(), root.GetProperty("seed").GetInt32(), root.GetProperty("device").GetString(), root.GetProperty("seconds").GetDouble()));
        JsonElement[] rows = [.. root.GetProperty("rows").EnumerateArray()];
        Assert.Equal(["in-distribution", "Chat Hard", "Reasoning"], rows.Select(r => r.GetProperty("section").GetString()));
        JsonElement first = rows[0];
        Assert.Equal(("genrm", 0.5, 2), (first.GetProperty("method").GetString(), first.GetProperty("accuracy").GetDouble(), first.GetProperty("n").GetInt32()));
        double[] ci = [.. first.GetProperty("ci95").EnumerateArray().Select(v => v.GetDouble())];
        Assert.Equal([WilsonInterval.Compute(1, 2).Low, WilsonInterval.Compute(1, 2).High], ci);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
    }

    [Fact]
    public void CsvAndDataFrameCarryTheSameRows()
    {
        ResultTable table = Table();

        string[] csv = table.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var frame = table.ToDataFrame();

        Assert.Equal("method,section,accuracy,n,ci95_low,ci95_high", csv[0]);
        Assert.StartsWith("star-dpo,Chat Hard,0,1,", csv[2], StringComparison.Ordinal);
        Assert.Equal(3, frame.Rows.Count);
        Assert.Equal("Reasoning", frame["section"][2]);
        Assert.Equal(1.0, frame["accuracy"][2]);
    }

    [Fact]
    public void AtomicWriteReplacesTheWholeFileAndLeavesNoTemporary()
    {
        using var folder = new TempDirectory();
        string path = folder.File("f.txt");
        File.WriteAllText(path, "old content that is longer");

        AtomicWrite.WriteAllText(path, "new");
        Assert.Throws<InvalidOperationException>(() => AtomicWrite.File(path, _ => throw new InvalidOperationException("fail midway")));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }
}
