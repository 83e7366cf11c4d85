using System.CommandLine;
using GenRM.Data;

namespace GenRM.Cli;

/// <summary><c>genrm data inspect PATH [--format NAME] [--map SPEC] [--subset NAME]</c>: what a preference file holds and what is wrong with it.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("PATH") { Description = "A preference file: JSON lines (optionally gzip), a JSON array, or Parquet." };
        var format = new Option<string?>("--format") { Description = "The format, instead of detecting it from the fields." };
        format.AcceptOnlyFromAmong([.. PreferenceFormats.Names]);
        var map = new Option<string?>("--map") { Description = "Field mapping for other layouts: prompt=F,chosen=F,rejected=F[,label=F][,id=F][,subset=F] (label: 1 or 2, A or B)." };
        var subset = new Option<string?>("--subset") { Description = "Subset name for pairs whose records carry none." };
        var inspect = new Command("inspect", "Print the detected format, the pair count, the subsets with counts, and every problem found.") { path, format, map, subset };
        inspect.SetAction(parsed => Inspect(parsed.GetValue(path)!, parsed.GetValue(format), parsed.GetValue(map), parsed.GetValue(subset), parsed.InvocationConfiguration.Output));
        return new Command("data", "Inspect preference data.") { inspect };
    }

    static int Inspect(string path, string? format, string? mapSpec, string? subset, TextWriter output)
    {
        FieldMapping? mapping = null;
        if (mapSpec is not null)
        {
            if (format is not null && format != PreferenceFormats.Generic)
                throw new UsageException($"--map implies the generic format; it cannot be combined with --format {format}");
            try { mapping = FieldMapping.Parse(mapSpec); }
            catch (FormatException e) { throw new UsageException(e.Message); }
        }
        else if (format == PreferenceFormats.Generic)
        {
            throw new UsageException("--format generic needs --map prompt=F,chosen=F,rejected=F");
        }

        PreferenceDataSet data = PreferenceReader.Read(path, PreferenceReadOptions.Lenient with { Format = format, Mapping = mapping, Subset = subset });
        ValidationReport report = data.Report;
        output.WriteLine($"file      {path}");
        output.WriteLine($"format    {(data.Format.Length == 0 ? "unknown (no readable record)" : data.Format + (data.FormatDetected ? " (detected)" : ""))}");
        output.WriteLine($"pairs     {data.Pairs.Length}{(report.ItemsSkipped > 0 ? $" ({report.ItemsSkipped} of {report.ItemsSeen} items skipped)" : "")}");
        var subsets = data.SubsetCounts();
        output.WriteLine($"subsets   {(subsets.Count == 0 || subsets is [{ Key: "" }] ? "(none)" : string.Join(", ", subsets.Select(s => $"{(s.Key.Length == 0 ? "(none)" : s.Key)} {s.Value}")))}");
        int errors = report.Errors.Count();
        output.WriteLine($"problems  {report.Problems.Length} ({errors} unreadable, {report.Problems.Length - errors} suspect)");
        foreach (DataProblem problem in report.Problems)
            output.WriteLine($"  {problem.Location}: {(problem.IsError ? "error" : "warning")}: {problem.Message}");

        DataProblem? first = report.Errors.FirstOrDefault();
        if (first is not null)
            throw BadInputException.About(path, errors == 1 ? first.Message : $"{first.Message} (and {errors - 1} more unreadable item{(errors == 2 ? "" : "s")}, listed above)", first.Location);
        return CommandRunner.Success;
    }
}
