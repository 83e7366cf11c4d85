using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace GenRM.Notebooks;

/// <summary>The workbench's notebook scales: every notebook has a <c>var scale = "..."</c> setting at the top.</summary>
public static class NotebookScales
{
    public const string Smoke = "smoke";
    public const string Default = "default";
    public const string Paper = "paper";

    public static IReadOnlyList<string> All { get; } = [Smoke, Default, Paper];
}

/// <summary>What running one cell produced.</summary>
/// <param name="Number">1-based cell number, counting every cell (markdown too), as an editor shows them.</param>
/// <param name="Code">The code as run (the scale setting applied).</param>
/// <param name="Displayed">How many values the cell displayed (tables, charts, markdown; progress updates replace their value).</param>
/// <param name="Charts">How many of them are Plotly charts.</param>
/// <param name="Tables">How many of them are HTML tables (DataFrames, lists of records).</param>
/// <param name="StandardOutput">Text the cell wrote to standard output.</param>
/// <param name="Error">The failure message, or null when the cell ran.</param>
/// <param name="Seconds">Wall time of the cell.</param>
public sealed record CellResult(int Number, string Code, int Displayed, int Charts, int Tables, string StandardOutput, string? Error, double Seconds);

/// <summary>One notebook run: every cell's result and where the executed copy was written.</summary>
public sealed record NotebookRun(string Notebook, string Scale, IReadOnlyList<CellResult> Cells, string? ExecutedCopy, double Seconds)
{
    /// <summary>The first failed cell, or null.</summary>
    public CellResult? FirstFailure => Cells.FirstOrDefault(c => c.Error is not null);
}

/// <summary>A notebook cell failed: the message names the notebook and the cell.</summary>
public sealed class NotebookCellFailedException : Exception
{
    public NotebookCellFailedException() { }

    public NotebookCellFailedException(string message) : base(message) { }

    public NotebookCellFailedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The run up to and including the failed cell (null when built from a message alone).</summary>
    public NotebookRun? Run { get; init; }
}

/// <summary>
/// Runs a C# .ipynb headless in an in-process .NET Interactive kernel, the way Polyglot Notebooks
/// would: the scale setting overridden, one submission per cell, the working folder the notebook's,
/// Plotly's kernel extension loaded by hand (the hosted kernel does not load package extensions),
/// and an executed copy with outputs written for reviewers.
/// </summary>
public static partial class NotebookRunner
{
    // What Plotly.NET's kernel extension writes into a chart's HTML.
    const string ChartMarker = "renderPlotly";

    // The kernel is process-wide state (working folder, loaded assemblies): one notebook at a time.
    static readonly SemaphoreSlim OneAtATime = new(1, 1);

    [GeneratedRegex(@"(?m)^(\s*var\s+scale\s*=\s*)""[^""]*""")]
    private static partial Regex ScaleSetting();

    /// <summary>The code with its <c>var scale = "..."</c> setting set to <paramref name="scale"/>; throws when there is none.</summary>
    public static string WithScale(string code, string scale, string notebook)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (!ScaleSetting().IsMatch(code))
            throw new InvalidOperationException($"{notebook}: no `var scale = \"...\";` setting in its first code cells");
        return ScaleSetting().Replace(code, m => m.Groups[1].Value + "\"" + scale + "\"", 1);
    }

    /// <summary>
    /// Runs every cell of <paramref name="notebookPath"/> at <paramref name="scale"/>, stopping at the first failure.
    /// Writes the executed copy to <paramref name="executedCopyPath"/> when given (also after a failure, up to the failed cell).
    /// Throws <see cref="NotebookCellFailedException"/> naming the notebook and the cell when a cell fails.
    /// </summary>
    public static async Task<NotebookRun> RunAsync(string notebookPath, string scale, string? executedCopyPath = null,
        Action<CellResult>? onCell = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notebookPath);
        if (!NotebookScales.All.Contains(scale))
            throw new ArgumentException($"unknown scale '{scale}'; known: {string.Join(", ", NotebookScales.All)}", nameof(scale));
        string fullPath = Path.GetFullPath(notebookPath);
        string name = Path.GetFileName(fullPath);
        InteractiveDocument document = Notebook.Parse(await File.ReadAllTextAsync(fullPath, cancellationToken).ConfigureAwait(false));

        await OneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        string previousFolder = Environment.CurrentDirectory;
        var total = Stopwatch.StartNew();
        var results = new List<CellResult>();
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(fullPath)!;
            using var kernel = CreateKernel();
            bool scaleSet = false;
            int number = 0;
            int executionCount = 0;
            foreach (InteractiveDocumentElement cell in document.Elements)
            {
                number++;
                cell.Outputs.Clear();
                string language = cell.KernelName ?? "csharp";
                if (language is "markdown" or "md")
                    continue;
                if (language is not ("csharp" or "C#" or "c#"))
                    throw new InvalidOperationException($"{name}: cell {number} is {language}; the workbench's notebooks are C# only");

                string code = cell.Contents;
                if (!scaleSet && ScaleSetting().IsMatch(code))
                {
                    code = WithScale(code, scale, name);
                    cell.Contents = code;
                    scaleSet = true;
                }

                CellResult result = await RunCellAsync(kernel, cell, code, number, ++executionCount, cancellationToken).ConfigureAwait(false);
                results.Add(result);
                onCell?.Invoke(result);
                if (result.Error is not null)
                {
                    var run = new NotebookRun(fullPath, scale, results, Write(document, executedCopyPath), total.Elapsed.TotalSeconds);
                    throw new NotebookCellFailedException($"{name}: cell {number} failed: {result.Error}") { Run = run };
                }
            }
            if (!scaleSet)
                throw new InvalidOperationException($"{name}: no `var scale = \"...\";` setting in any code cell");
            return new NotebookRun(fullPath, scale, results, Write(document, executedCopyPath), total.Elapsed.TotalSeconds);
        }
        finally
        {
            Environment.CurrentDirectory = previousFolder;
            OneAtATime.Release();
        }
    }

    static CompositeKernel CreateKernel()
    {
        // As dotnet-interactive's own host does: the assemblies of a `#r "nuget: ..."` package become references.
        // Package kernel extensions (interactive-extensions/dotnet/*.dll: Plotly's chart formatter,
        // Microsoft.Data.Analysis's table formatter) are loaded here too, inside the restoring command.
        var extensions = new ExtensionLoader();
        var csharp = new CSharpKernel()
            .UseNugetDirective(async (k, packages) =>
            {
                k.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
                await extensions.LoadAsync(k.RootKernel, packages).ConfigureAwait(false);
            })
            .UseKernelHelpers()
            .UseValueSharing();
        var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        return kernel;
    }

    static async Task<CellResult> RunCellAsync(CompositeKernel kernel, InteractiveDocumentElement cell, string code,
        int number, int executionCount, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        KernelCommandResult result = await kernel.SendAsync(new SubmitCode(code, "csharp"), cancellationToken).ConfigureAwait(false);
        var displayed = new List<string>();
        var displayIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var displayIndexOfOutput = new Dictionary<int, int>();
        var stdout = new System.Text.StringBuilder();
        string? error = null;
        foreach (KernelEvent e in result.Events)
        {
            switch (e)
            {
                case DisplayEvent display when display is DisplayedValueProduced or DisplayedValueUpdated or ReturnValueProduced:
                    var data = display.FormattedValues.ToDictionary(v => v.MimeType, v => (object)v.Value);
                    string html = display.FormattedValues.FirstOrDefault(v => v.MimeType == "text/html")?.Value ?? "";
                    // An update (package restore progress, for one) replaces the value it updates, as an editor shows it.
                    if (display.ValueId is { } id && displayIndex.TryGetValue(id, out int at))
                    {
                        cell.Outputs[at] = new DisplayElement(data);
                        displayed[displayIndexOfOutput[at]] = html;
                        break;
                    }
                    if (display.ValueId is { } newId)
                        displayIndex[newId] = cell.Outputs.Count;
                    displayIndexOfOutput[cell.Outputs.Count] = displayed.Count;
                    displayed.Add(html);
                    cell.Outputs.Add(new DisplayElement(data));
                    break;
                case StandardOutputValueProduced output:
                    string text = string.Concat(output.FormattedValues.Select(v => v.Value));
                    stdout.Append(text);
                    cell.Outputs.Add(new TextElement(text, "stdout"));
                    break;
                case StandardErrorValueProduced errorOutput:
                    cell.Outputs.Add(new TextElement(string.Concat(errorOutput.FormattedValues.Select(v => v.Value)), "stderr"));
                    break;
                case CommandFailed failed:
                    error = FirstLine(failed.Message ?? failed.Exception?.Message ?? "failed");
                    cell.Outputs.Add(new ErrorElement("Error", failed.Message ?? "", failed.Exception?.StackTrace?.Split('\n') ?? []));
                    break;
            }
        }
        cell.ExecutionOrder = executionCount;
        return new CellResult(number, code, displayed.Count,
            displayed.Count(h => h.Contains(ChartMarker, StringComparison.Ordinal)),
            displayed.Count(h => h.Contains("<table", StringComparison.Ordinal)),
            stdout.ToString(), error, watch.Elapsed.TotalSeconds);
    }

    static string FirstLine(string message)
    {
        string trimmed = message.Trim();
        // Compilation errors come one per line: keep them all, but on one line.
        return string.Join(" | ", trimmed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5));
    }

    static string? Write(InteractiveDocument document, string? path)
    {
        if (path is null)
            return null;
        // Polyglot's kernelInfo in the metadata does not round-trip through ToJupyterJson: drop it, the
        // kernel spec stays (RECIPES.md).
        document.Metadata.Remove("kernelInfo");
        document.Metadata.Remove("polyglot_notebook");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, document.ToJupyterJson("C#"));
        return Path.GetFullPath(path);
    }

    /// <summary>Loads the kernel extensions (interactive-extensions/dotnet/*.dll) of restored packages, as Polyglot's host would.</summary>
    sealed class ExtensionLoader
    {
        readonly HashSet<string> loaded = new(StringComparer.Ordinal);

        public async Task LoadAsync(Kernel kernel, IEnumerable<ResolvedPackageReference> packages)
        {
            foreach (ResolvedPackageReference package in packages)
            {
                string folder = Path.Combine(package.PackageRoot, "interactive-extensions", "dotnet");
                if (!Directory.Exists(folder) || !loaded.Add(folder))
                    continue;
                foreach (string dll in Directory.GetFiles(folder, "*.dll"))
                {
                    Assembly assembly = Assembly.LoadFrom(dll);
                    foreach (Type type in assembly.GetExportedTypes().Where(t => !t.IsAbstract && typeof(IKernelExtension).IsAssignableFrom(t)))
                    {
                        var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                        await extension.OnLoadAsync(kernel).ConfigureAwait(false);
                    }
                }
            }
        }
    }
}
