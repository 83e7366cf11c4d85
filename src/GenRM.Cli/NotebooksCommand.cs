using System.CommandLine;
using GenRM.Experiments;
using System.Globalization;
using GenRM.Notebooks;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm notebooks run [--scale smoke|default|paper] [--out DIR] [--notebook NAME]</c>: executes the
/// notebooks in the real kernel through Jupyter's client (GENRM_SCALE set to the scale) and writes
/// executed copies with their outputs, for reviewers;
/// <c>genrm notebooks pack</c>: builds the local package feed the notebooks reference the library from.
/// </summary>
internal static class NotebooksCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "The notebooks' scale (sets GENRM_SCALE for their kernel).", DefaultValueFactory = _ => NotebookScales.Smoke };
        scale.AcceptOnlyFromAmong([.. NotebookScales.All]);
        var output = new Option<string?>("--out") { Description = "Folder for the executed copies, relative to the current folder (default runs/notebooks-<scale>-<time>/ in the repository)." };
        var only = new Option<string[]>("--notebook") { Description = "Run only these notebooks (file names, with or without .ipynb).", AllowMultipleArgumentsPerToken = true };
        var run = new Command("run", "Execute every notebook in the .NET Interactive kernel through Jupyter at a scale and write executed copies with outputs.") { scale, output, only };
        run.SetAction((parsed, cancellation) => RunAsync(parsed.GetValue(scale)!, parsed.GetValue(output), parsed.GetValue(only) ?? [],
            parsed.InvocationConfiguration.Output, cancellation));
        var pack = new Command("pack", "Pack the library into notebooks/.packages/, the feed the notebooks' first cell restores it from.");
        pack.SetAction(parsed =>
        {
            string root = RepositoryRoot();
            string version = LocalFeed.Ensure(root, parsed.InvocationConfiguration.Output);
            parsed.InvocationConfiguration.Output.WriteLine($"{LocalFeed.PackageId} {version} is in {Path.GetRelativePath(Environment.CurrentDirectory, LocalFeed.FeedFolder(root))}");
            return CommandRunner.Success;
        });
        return new Command("notebooks", "Run the notebooks headless, or pack the library for them.") { run, pack };
    }

    static async Task<int> RunAsync(string scale, string? outputFolder, string[] only, TextWriter output, CancellationToken cancellation)
    {
        string root = RepositoryRoot();
        string folder = LocalFeed.NotebooksFolder(root);
        var notebooks = Directory.GetFiles(folder, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        if (only.Length > 0)
        {
            var wanted = only.Select(n => n.EndsWith(".ipynb", StringComparison.Ordinal) ? n : n + ".ipynb").ToList();
            string? missing = wanted.FirstOrDefault(w => !notebooks.Any(n => Path.GetFileName(n) == w));
            if (missing is not null)
                throw new UsageException($"no notebook {missing} in {folder}; there are: {string.Join(", ", notebooks.Select(Path.GetFileName))}");
            notebooks = [.. notebooks.Where(n => wanted.Contains(Path.GetFileName(n)))];
        }
        // A given folder is relative to where the user is; the default lives in the repository's runs/.
        outputFolder = outputFolder is null
            ? Path.Combine(root, "runs", $"notebooks-{scale}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}")
            : Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(outputFolder);
        // Shown as the user wrote it: relative under the current folder, else the full path (not "../../tmp/...").
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, outputFolder);
        string shown = relative.StartsWith("..", StringComparison.Ordinal) ? outputFolder : relative;

        LocalFeed.Ensure(root, output);
        foreach (string notebook in notebooks)
        {
            string name = Path.GetFileName(notebook);
            output.WriteLine($"{name} ({scale})");
            string copy = Path.Combine(outputFolder, name);
            try
            {
                NotebookRun result = await NotebookRunner.RunAsync(notebook, scale, copy,
                    cell => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  cell {cell.Number,3}  {cell.Seconds,6:0.0} s  {(cell.Error is null ? "ok" : "FAILED")}")),
                    cancellationToken: cancellation).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  done in {result.Seconds:0.0} s, {result.Cells.Sum(c => c.Charts)} chart(s), {result.Cells.Sum(c => c.Tables)} table(s) -> {Path.Combine(shown, name)}"));
            }
            catch (NotebookCellFailedException e)
            {
                output.WriteLine($"  executed copy up to the failure -> {Path.Combine(shown, name)}");
                throw new BadInputException(e.Message, e);
            }
            catch (InvalidOperationException e)
            {
                // Jupyter or the kernel is not installed: one line saying what to run, no stack trace.
                throw new UsageException(e.Message);
            }
        }
        return CommandRunner.Success;
    }

    static string RepositoryRoot() =>
        RepositoryData.FindRoot() ?? throw new UsageException("run genrm notebooks inside the repository (the folder holding GenRM.Workbench.sln): the notebooks and their package feed live there");
}
