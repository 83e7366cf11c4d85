using System.Collections.Immutable;
using System.Text.Json;
using GenRM.Data.Formats;

namespace GenRM.Data;

/// <summary>
/// Reads preference pairs from JSON lines (plain or gzip), a JSON array or Parquet, in any named
/// format (detected from the first record's fields unless given), and reports every problem.
/// </summary>
public static class PreferenceReader
{
    /// <summary>
    /// Reads the file. Throws <see cref="BadInputException"/> (message naming the file and item)
    /// when the file cannot be read at all, or when a problem meets a <c>Fail</c> policy.
    /// </summary>
    public static PreferenceDataSet Read(string path, PreferenceReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= PreferenceReadOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, 1, nameof(options));
        IPreferenceFormat? format = options.Mapping is not null ? PreferenceFormats.Get(PreferenceFormats.Generic, options.Mapping)
            : options.Format is not null ? PreferenceFormats.Get(options.Format, null)
            : null;
        if (Directory.Exists(path))
            throw BadInputException.About(path, "is a folder; name one of its data files");
        if (!File.Exists(path))
            throw BadInputException.About(path, "no such file");
        try
        {
            return Read(path, options, format);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BadInputException.About(path, $"cannot be read ({e.Message})");
        }
        catch (InvalidDataException e)
        {
            throw BadInputException.About(path, $"not a readable gzip file ({e.Message})");
        }
    }

    static PreferenceDataSet Read(string path, PreferenceReadOptions options, IPreferenceFormat? format)
    {
        PreferenceFileKind kind = PreferenceFile.Sniff(path);
        if (kind == PreferenceFileKind.Empty)
            throw BadInputException.About(path, "the file is empty");
        bool detected = format is null;
        var context = new RecordContext(path, options.Subset);
        var pairs = ImmutableArray.CreateBuilder<PreferencePair>();
        var problems = ImmutableArray.CreateBuilder<DataProblem>();
        var firstSeen = new Dictionary<string, long>(StringComparer.Ordinal);
        long seen = 0, skipped = 0;
        string unit = kind switch { PreferenceFileKind.JsonArray => "item", PreferenceFileKind.Parquet => "row", _ => "line" };

        using Stream stream = PreferenceFile.Open(path);
        IEnumerable<SourceItem> items = kind switch
        {
            PreferenceFileKind.JsonArray => JsonArraySource.Read(stream, path),
            PreferenceFileKind.Parquet => ParquetSource.Read(stream, path),
            _ => JsonLinesSource.Read(stream, options.MaxLineBytes),
        };
        foreach (SourceItem item in items)
        {
            seen++;
            if (item.Problem is not null)
            {
                Invalid(item.Problem);
                continue;
            }
            format ??= PreferenceFormats.Detect(item.Value) is string name ? PreferenceFormats.Get(name, null)
                : throw BadInputException.About(path, $"cannot tell the format from its fields ({Fields(item.Value)}); name one of {string.Join(", ", PreferenceFormats.Names)}", $"{unit} {item.Number}");
            PreferencePair pair;
            context.ClearWarnings();
            try
            {
                RecordFields.RequireObject(item.Value);
                pair = format.ToPair(item.Value, context) with { Location = $"{unit} {item.Number}" };
            }
            catch (RecordException e)
            {
                Invalid(new DataProblem(e.Kind, unit, item.Number, e.Message));
                continue;
            }
            var warnings = context.Warnings.Select(w => new DataProblem(w.Kind, unit, item.Number, w.Message)).ToList();
            warnings.AddRange(PairChecks.Suspicions(pair).Select(s => new DataProblem(s.Kind, unit, item.Number, s.Message)));
            if (firstSeen.TryGetValue(pair.Id, out long first))
                warnings.Add(new DataProblem(DataProblemKind.Duplicate, unit, item.Number, $"id '{pair.Id}' already seen at {unit} {first}"));
            else
                firstSeen[pair.Id] = item.Number;
            problems.AddRange(warnings);
            if (warnings.Count > 0 && options.OnSuspectPair == SuspectPairPolicy.Fail)
                throw BadInputException.About(path, warnings[0].Message, warnings[0].Location);
            if (warnings.Count > 0 && options.OnSuspectPair == SuspectPairPolicy.Skip)
                skipped++;
            else
                pairs.Add(pair);
        }
        if (seen == 0)
            throw BadInputException.About(path, "the file holds no records");
        return new PreferenceDataSet(path, format?.Name ?? "", detected, pairs.ToImmutable(), new ValidationReport(seen, skipped, problems.ToImmutable()));

        void Invalid(DataProblem problem)
        {
            if (options.OnInvalidItem == InvalidItemPolicy.Fail)
                throw BadInputException.About(path, problem.Message, problem.Location);
            problems.Add(problem);
            skipped++;
        }
    }

    static string Fields(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? string.Join(", ", value.EnumerateObject().Select(p => p.Name).Take(12)) : RecordFields.Describe(value.ValueKind);
}
