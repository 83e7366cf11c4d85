using System.CommandLine;
using GenRM.Experiments;
using System.Globalization;
using GenRM.Notebooks;

namespace GenRM.Cli;

/// <summary>
/// <c>genrm notebooks run [--scale smoke|default|paper] [--out DIR] [--notebook NAME]</c>: executes the
/// notebooks headless and writes executed copies with their outputs, for reviewers;
/// <c>genrm notebooks pack</c>: builds the local package feed the notebooks reference the library from.
/// </summary>
internal static class NotebooksCommand
{
    public static Command Create()
    {
        var scale = new Option<string>("--scale") { Description = "The notebooks' scale setting.", DefaultValueFactory = _ => NotebookScales.Smoke };
        scale.AcceptOnlyFromAmong([.. NotebookScales.All]);
        var output = new Option<string?>("--out") { Description = "Folder for the executed copies (default runs/notebooks-<scale>-<time>/)." };
        var only = new Option<string[]>("--notebook") { Description = "Run only these notebooks (file names, with or without .ipynb).", AllowMultipleArgumentsPerToken = true };
        var run = new Command("run", "Execute every notebook headless at a scale and write executed copies with outputs.") { scale, output, only };
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
        outputFolder ??= Path.Combine("runs", $"notebooks-{scale}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(outputFolder);

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
                        $"  cell {cell.Number,3}  {cell.Seconds,6:0.0} s  {(cell.Error is null ? "ok" : "FAILED")}{(cell.Charts > 0 ? $"  {cell.Charts} chart(s)" : "")}{(cell.Tables > 0 ? $"  {cell.Tables} table(s)" : "")}")),
                    cancellation).ConfigureAwait(false);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  done in {result.Seconds:0.0} s -> {copy}"));
            }
            catch (NotebookCellFailedException e)
            {
                output.WriteLine($"  executed copy up to the failure -> {copy}");
                throw new BadInputException(e.Message, e);
            }
        }
        return CommandRunner.Success;
    }

    static string RepositoryRoot() =>
        RepositoryData.FindRoot() ?? throw new UsageException("run genrm notebooks inside the repository (the folder holding GenRM.Workbench.sln): the notebooks and their package feed live there");
}
