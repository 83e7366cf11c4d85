using System.Text.Json;
using GenRM.Notebooks;

namespace GenRM.Tests.Notebooks;

/// <summary>The notebook tests change the process's working folder and share one kernel setup: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebooksRunAlone
{
    public const string Name = "Notebooks";
}

/// <summary>
/// Every notebook in notebooks/ runs headless at the smoke scale in the hosted C# kernel, as
/// Polyglot Notebooks would run it; the library comes from the local feed, packed first.
/// Slow (a kernel start and a package restore per notebook): `--filter Category!=Slow` leaves it out.
/// </summary>
[Trait("Category", "Slow")]
[Collection(NotebooksRunAlone.Name)]
public sealed class NotebookExecutionTests
{
    static readonly Lazy<string> PackedVersion = new(() => LocalFeed.Ensure(TestPaths.RepositoryRoot));

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string path in NotebookFiles.All())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task NotebookRunsAtSmokeScaleAndEveryChartCellDisplaysAChart(string notebook)
    {
        Assert.StartsWith("0.1.0-local.", PackedVersion.Value, StringComparison.Ordinal);
        using var temp = new TempDirectory();

        // A failed cell throws "<notebook>: cell N failed: <message>", which is the test's failure message.
        NotebookRun run = await NotebookRunner.RunAsync(Path.Combine(NotebookFiles.Folder, notebook), NotebookScales.Smoke, temp.File(notebook));

        Assert.Null(run.FirstFailure);
        Assert.NotEmpty(run.Cells);
        foreach (CellResult cell in run.Cells.Where(c => c.Code.Contains("Charts.", StringComparison.Ordinal) || c.Code.Contains("Chart.", StringComparison.Ordinal)))
            Assert.True(cell.Charts > 0, $"{notebook}: cell {cell.Number} builds a chart but displayed none");
        Assert.Contains(run.Cells, c => c.Code.Contains("var scale = \"smoke\"", StringComparison.Ordinal));

        using JsonDocument executed = JsonDocument.Parse(File.ReadAllText(temp.File(notebook)));
        int outputs = executed.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Sum(c => c.GetProperty("outputs").GetArrayLength());
        Assert.True(outputs >= run.Cells.Count(c => c.Displayed > 0), $"{notebook}: the executed copy lost outputs");
    }

    [Fact]
    public async Task AFailingCellIsReportedWithTheNotebookAndTheCellNumber()
    {
        using var temp = new TempDirectory();
        string path = temp.File("broken.ipynb");
        File.WriteAllText(path, NotebookFiles.Minimal(
            ("markdown", "# A notebook with a bug"),
            ("code", "var scale = \"default\";"),
            ("code", "throw new InvalidOperationException(\"the bug\");")));

        var failure = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NotebookScales.Smoke, temp.File("out.ipynb")));

        Assert.StartsWith("broken.ipynb: cell 3 failed: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the bug", failure.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(temp.File("out.ipynb")), "an executed copy up to the failure is written");
    }
}
