using System.Text.Json;
using System.Text.RegularExpressions;
using GenRM.Notebooks;

namespace GenRM.Tests.Notebooks;

/// <summary>What every committed notebook must be: stripped of outputs, C#, cells with ids, referencing the library from the local feed, with a scale parameter.</summary>
public sealed class NotebookFileTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in NotebookFiles.All())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void TheNotebooksFolderHasNotebooksAndTheLocalFeedConfig()
    {
        Assert.NotEmpty(NotebookFiles.All());
        string config = File.ReadAllText(Path.Combine(NotebookFiles.Folder, "nuget.config"));
        Assert.Contains("value=\".packages\"", config, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void CommittedNotebookHasNoOutputs(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookFiles.Folder, notebook)));
        foreach (var (cell, number) in document.RootElement.GetProperty("cells").EnumerateArray().Select((c, i) => (c, i + 1)))
        {
            if (cell.GetProperty("cell_type").GetString() != "code")
                continue;
            Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{notebook}: cell {number} has outputs; clear them before committing");
            Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{notebook}: cell {number} has an execution count; clear outputs before committing");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void NotebookReferencesTheLibraryFromTheLocalFeedFirstAndHasAScaleSettingAndNoAbsolutePaths(string notebook)
    {
        string[] code = NotebookFiles.CodeCells(notebook);

        Assert.Contains("#r \"nuget: GenRM.Workbench, *-*\"", code[0], StringComparison.Ordinal);
        // No Plotly.NET in the kernel: it needs an FSharp.Core the real kernel cannot load.
        Assert.DoesNotContain("Plotly.NET", string.Join("\n", code), StringComparison.Ordinal);
        Assert.Contains($"var scale = Environment.GetEnvironmentVariable(\"{NotebookScales.Variable}\")", code[1], StringComparison.Ordinal);
        foreach (string source in code)
            Assert.DoesNotMatch(new Regex(@"""/(work|root|home|tmp)/|[A-Z]:\\\\"), source);
    }

    /// <summary>
    /// Every call that trains or judges is given the cell's cancellation, so the cell's stop button stops
    /// it (NotebookStopButtonTests shows what happens otherwise).
    /// </summary>
    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryCallThatTrainsOrJudgesStopsWithItsCell(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookFiles.Folder, notebook)));
        int number = 0;
        foreach (JsonElement cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            number++;
            string code = string.Concat(cell.GetProperty("source").EnumerateArray().Select(l => l.GetString()));
            foreach (Match call in NotebookFiles.LongWork.Matches(code))
                Assert.True(Arguments(code, call.Index + call.Length).Contains("CellCancellation()", StringComparison.Ordinal),
                    $"{notebook}: cell {number}'s {call.Value.TrimStart(')')} is not given CellCancellation()");
        }
    }

    /// <summary>The argument list of the call whose opening parenthesis ends just before <paramref name="start"/>.</summary>
    static string Arguments(string code, int start)
    {
        int depth = 1, i = start;
        for (; i < code.Length && depth > 0; i++)
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
        return code[start..i];
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryCellHasAUniqueValidIdAndTheScaleCellIsTaggedAsParameters(string notebook)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(NotebookFiles.Folder, notebook)));
        Assert.True(document.RootElement.GetProperty("nbformat_minor").GetInt32() >= 5, $"{notebook}: cell ids need nbformat 4.5");
        var cells = document.RootElement.GetProperty("cells").EnumerateArray().ToList();
        var ids = cells.Select(c => c.TryGetProperty("id", out JsonElement id) ? id.GetString() : null).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", id ?? ""));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        JsonElement parameters = Assert.Single(cells, c => c.GetProperty("metadata").TryGetProperty("tags", out JsonElement tags)
            && tags.EnumerateArray().Any(t => t.GetString() == "parameters"));
        Assert.Contains("var scale = ", string.Concat(parameters.GetProperty("source").EnumerateArray().Select(l => l.GetString())), StringComparison.Ordinal);
    }

    [Fact]
    public void TheLocalPackageVersionIsAPrereleaseOfTheLibraryThatFollowsItsSources()
    {
        string version = LocalFeed.Version(TestPaths.RepositoryRoot);
        Assert.Matches(@"^0\.1\.0-local\.g[0-9a-f]{10}$", version);
        Assert.Equal(version, LocalFeed.Version(TestPaths.RepositoryRoot));
    }
}
