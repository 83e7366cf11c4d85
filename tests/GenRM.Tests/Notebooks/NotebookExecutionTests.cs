using System.Text.Json;
using System.Text.RegularExpressions;
using GenRM.Notebooks;
using GenRM.Reporting;

namespace GenRM.Tests.Notebooks;

/// <summary>The notebook tests share the local feed and the NuGet cache the kernels restore into: they run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebooksRunAlone
{
    public const string Name = "Notebooks";
}

/// <summary>
/// Every notebook in notebooks/ runs at the smoke scale in the kernel researchers run: Jupyter's client
/// (nbclient) with the .net-csharp kernel of the Microsoft.dotnet-interactive tool, both installed by
/// tools/install-prerequisites.sh; the library comes from the local feed, packed first.
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

    [SkippableTheory]
    [MemberData(nameof(Notebooks))]
    public async Task NotebookRunsAtSmokeScaleWithoutErrorsAndEveryChartHasAnInteractiveAndAStaticRendition(string notebook)
    {
        Assert.StartsWith("0.1.0-local.", PackedVersion.Value, StringComparison.Ordinal);
        using var temp = new TempDirectory();

        // A failed cell throws "<notebook>: cell N failed: <message>", which is the test's failure message.
        NotebookRun run = await NotebookRunner.RunAsync(Path.Combine(NotebookFiles.Folder, notebook), NotebookScales.Smoke, temp.File(notebook));

        Assert.Null(run.FirstFailure);
        Assert.Equal(NotebookFiles.CodeCells(notebook).Length, run.Cells.Count);
        foreach (CellResult cell in run.Cells)
        {
            Assert.True(cell.StandardError.Length == 0, $"{notebook}: cell {cell.Number} wrote to standard error: {cell.StandardError}");
            int built = Regex.Count(cell.Code, @"\b(StudyCharts\.\w+|PreferenceCharts\.\w+|CueAccuracy\.Chart)\(");
            Assert.True(cell.Charts == built, $"{notebook}: cell {cell.Number} builds {built} chart(s) but shows {cell.Charts} with both an HTML and an SVG rendition");
        }

        string executed = File.ReadAllText(run.ExecutedCopy);
        using JsonDocument document = JsonDocument.Parse(executed);
        var outputs = document.RootElement.GetProperty("cells").EnumerateArray().SelectMany(c => c.TryGetProperty("outputs", out JsonElement o) ? o.EnumerateArray() : []).ToList();
        Assert.DoesNotContain(outputs, o => o.GetProperty("output_type").GetString() == "error");
        if (run.Cells.Sum(c => c.Charts) > 0)
            Assert.Equal(1, Regex.Count(executed, Regex.Escape("plotly.js v" + PlotlyPage.LibraryVersion)));
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\bsrc\s*=\\?""https?:", RegexOptions.IgnoreCase), executed);
        AssertLongWorkShowsItsProgressToTheEnd(notebook, document.RootElement);

        // As a reader opens the executed notebook outside the editor: nbconvert's page in a browser, offline.
        if (run.Cells.Sum(c => c.Charts) > 0)
        {
            RenderedPage rendered = HeadlessChromium.RenderWithEveryFigureDrawn(NbConvertHtml(run.ExecutedCopy), "genrm-figure-");
            Assert.Equal(run.Cells.Sum(c => c.Charts), rendered.Charts("genrm-figure-").Count);
        }
    }

    static readonly Regex ProgressLine = new(@"^\[[#.]{24}\] (?<phase>.+?) (?<done>\d+)/(?<total>\d+) ");

    /// <summary>
    /// Every cell that trains or judges ends with a status line under it, updated in place to its phase's
    /// last step (the kernel's updates reached Jupyter), and no status line is left waiting for a first step.
    /// </summary>
    static void AssertLongWorkShowsItsProgressToTheEnd(string notebook, JsonElement executed)
    {
        int number = 0;
        foreach (JsonElement cell in executed.GetProperty("cells").EnumerateArray())
        {
            number++;
            if (cell.GetProperty("cell_type").GetString() != "code")
                continue;
            string[] shown = [.. cell.GetProperty("outputs").EnumerateArray()
                .Where(o => o.GetProperty("output_type").GetString() == "display_data" && o.GetProperty("data").TryGetProperty("text/plain", out _))
                .Select(o => Text(o.GetProperty("data").GetProperty("text/plain")))];
            Assert.DoesNotContain("waiting for the first step", shown);
            var progress = shown.Select(text => ProgressLine.Match(text)).Where(m => m.Success).ToArray();
            foreach (Match line in progress)
                Assert.True(line.Groups["done"].Value == line.Groups["total"].Value, $"{notebook}: cell {number}'s status line stopped at {line.Value}");
            // SharedStudy.Run, which may only read a finished run back, ends its status line with the run's summary.
            if (NotebookFiles.LongWork.Matches(Text(cell.GetProperty("source"))).Any(m => !m.Value.StartsWith("SharedStudy", StringComparison.Ordinal)))
                Assert.True(progress.Length > 0, $"{notebook}: cell {number} trains or judges without a status line under it");
        }
    }

    /// <summary>A notebook text field: one string or a list of lines.</summary>
    static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? string.Concat(value.EnumerateArray().Select(l => l.GetString())) : value.GetString() ?? "";

    /// <summary>The executed notebook as HTML, by Debian's nbconvert (installed with the Jupyter client), beside it.</summary>
    static string NbConvertHtml(string executedNotebook)
    {
        var start = new System.Diagnostics.ProcessStartInfo(NotebookRunner.JupyterPython) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in (string[])["-m", "nbconvert", "--to", "html", "--output-dir", Path.GetDirectoryName(executedNotebook)!, executedNotebook])
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"nbconvert failed on {executedNotebook}: {error}");
        return Path.ChangeExtension(executedNotebook, ".html");
    }

    [Fact]
    public async Task AFailingCellIsReportedWithTheNotebookAndTheCellNumberAndTheCopyKeepsItsOutputs()
    {
        using var temp = new TempDirectory();
        string path = temp.File("broken.ipynb");
        File.WriteAllText(path, NotebookFiles.Minimal(
            ("markdown", "# A notebook with a bug"),
            ("code", "var scale = Environment.GetEnvironmentVariable(\"GENRM_SCALE\");\nscale"),
            ("code", "throw new InvalidOperationException(\"the bug\");"),
            ("code", "\"never run\"")));

        var failure = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NotebookScales.Smoke, temp.File("out.ipynb")));

        Assert.StartsWith("broken.ipynb: cell 3 failed: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("the bug", failure.Message, StringComparison.Ordinal);
        string copy = File.ReadAllText(temp.File("out.ipynb"));
        Assert.Contains("\"smoke\"", copy, StringComparison.Ordinal); // the scale reached the kernel
        Assert.Contains("the bug", copy, StringComparison.Ordinal);
        Assert.Equal(2, failure.Run!.Cells.Count);
    }

    [Fact]
    public async Task ACompilationErrorIsReportedWithTheCompilersMessage()
    {
        using var temp = new TempDirectory();
        string path = temp.File("typo.ipynb");
        File.WriteAllText(path, NotebookFiles.Minimal(("code", "int answer = \"forty-two\";")));

        var failure = await Assert.ThrowsAsync<NotebookCellFailedException>(() => NotebookRunner.RunAsync(path, NotebookScales.Smoke, temp.File("out.ipynb")));

        Assert.StartsWith("typo.ipynb: cell 1 failed: compilation error | (1,14): error CS0029:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKernelLoadsTheLibTorchTheLibraryWasBuiltWithAndNoOther()
    {
        Assert.StartsWith("0.1.0-local.", PackedVersion.Value, StringComparison.Ordinal);
        using var temp = new TempDirectory();
        // The notebooks' package sources, with the local feed at its full path.
        File.WriteAllText(temp.File("nuget.config"), File.ReadAllText(Path.Combine(NotebookFiles.Folder, "nuget.config"))
            .Replace("value=\".packages\"", $"value=\"{LocalFeed.FeedFolder(TestPaths.RepositoryRoot)}\"", StringComparison.Ordinal));
        string path = temp.File("libtorch.ipynb");
        File.WriteAllText(path, NotebookFiles.Minimal(
            ("code", $"#r \"nuget: GenRM.Workbench, {PackedVersion.Value}\""),
            ("code", """
                using System.IO;
                GenRM.Runtime.TorchRuntime.EnsureLoaded();
                var loaded = File.ReadLines("/proc/self/maps").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last())
                    .Where(file => Path.GetFileName(file) is "libtorch_cpu.so" or "libc10.so" || Path.GetFileName(file).StartsWith("libtorch_cpu.so.") || Path.GetFileName(file).StartsWith("libc10.so."))
                    .Distinct().Order();
                Console.WriteLine("folder " + GenRM.Runtime.TorchRuntime.PackagedLibTorchFolder);
                foreach (var file in loaded) Console.WriteLine("mapped " + file);
                Console.WriteLine("sum " + TorchSharp.torch.ones(3).sum().item<float>());
                """)));

        NotebookRun run = await NotebookRunner.RunAsync(path, NotebookScales.Smoke, temp.File("out.ipynb"));

        Assert.Null(run.FirstFailure);
        using JsonDocument copy = JsonDocument.Parse(File.ReadAllText(run.ExecutedCopy));
        string output = string.Concat(copy.RootElement.GetProperty("cells")[1].GetProperty("outputs").EnumerateArray()
            .Where(o => o.GetProperty("output_type").GetString() == "stream")
            .SelectMany(o => o.GetProperty("text") is { ValueKind: JsonValueKind.Array } lines ? lines.EnumerateArray().Select(l => l.GetString()) : [o.GetProperty("text").GetString()]));
        string folder = output.Split('\n').Single(l => l.StartsWith("folder ", StringComparison.Ordinal))["folder ".Length..];
        Assert.EndsWith(Path.Combine("libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native"), folder, StringComparison.Ordinal);
        string[] mapped = output.Split('\n').Where(l => l.StartsWith("mapped ", StringComparison.Ordinal)).Select(l => l["mapped ".Length..]).ToArray();
        Assert.Equal([Path.Combine(folder, "libc10.so"), Path.Combine(folder, "libtorch_cpu.so")], mapped);
        Assert.Contains("sum 3", output, StringComparison.Ordinal);
    }
}
