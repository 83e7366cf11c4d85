namespace GenRM.Data;

/// <summary>
/// Reads a preference file, or every preference file under a folder (the way data sets are
/// published: LLMBar's <c>Natural/dataset.json</c>, <c>Adversarial/Neighbor/dataset.json</c>, ...),
/// and names each pair's subset: the record's own, else the format's name for where the file sits
/// (LLMBar's folders are RewardBench's subsets), else the file's path inside the folder.
/// </summary>
public static class PreferenceSources
{
    /// <summary>The endings of the files a folder is searched for (others, such as LICENSE or README.md, are passed over).</summary>
    public static IReadOnlyList<string> DataFileEndings { get; } = [".jsonl", ".jsonl.gz", ".json", ".json.gz", ".parquet"];

    /// <summary>
    /// The data set of <paramref name="path"/> when it is a file, or one per data file under it when it
    /// is a folder (searched recursively, in ordinal order of the paths). With <paramref name="subsets"/>,
    /// only the pairs of those subsets are kept.
    /// </summary>
    /// <exception cref="BadInputException">Nothing at the path, a folder without data files, an unreadable file,
    /// or a subset asked for that no file holds (the message lists those there are).</exception>
    public static IReadOnlyList<PreferenceDataSet> Read(string path, PreferenceReadOptions options, IReadOnlyCollection<string>? subsets = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<PreferenceDataSet> sets = Directory.Exists(path) ? ReadFolder(path, options) : [PreferenceReader.Read(path, options)];
        if (subsets is null || subsets.Count == 0)
            return sets;
        var present = sets.SelectMany(s => s.Pairs).Select(p => p.Subset).ToHashSet(StringComparer.Ordinal);
        var missing = subsets.Where(s => !present.Contains(s)).ToArray();
        if (missing.Length > 0)
            throw BadInputException.About(path, $"no pairs of subset {string.Join(", ", missing.Select(s => $"'{s}'"))}; its subsets are {string.Join(", ", present.Order(StringComparer.Ordinal).Select(s => s.Length == 0 ? "(none)" : s))}");
        var wanted = subsets.ToHashSet(StringComparer.Ordinal);
        return [.. sets.Select(s => s with { Pairs = [.. s.Pairs.Where(p => wanted.Contains(p.Subset))] }).Where(s => s.Pairs.Length > 0)];
    }

    static PreferenceDataSet[] ReadFolder(string folder, PreferenceReadOptions options)
    {
        string[] files;
        try
        {
            files = [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => DataFileEndings.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BadInputException.About(folder, $"cannot be listed ({e.Message})");
        }
        if (files.Length == 0)
            throw BadInputException.About(folder, $"the folder holds no data files (looked for {string.Join(", ", DataFileEndings)})");
        return [.. files.Select(file =>
        {
            PreferenceDataSet set = PreferenceReader.Read(file, options);
            string fallback = FileSubset(folder, file);
            return set with { Pairs = [.. set.Pairs.Select(p => p.Subset.Length == 0 ? p with { Subset = fallback } : p)] };
        })];
    }

    // "sub/name.jsonl.gz" inside the folder is subset "sub/name".
    static string FileSubset(string folder, string file)
    {
        string relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
        string ending = DataFileEndings.First(e => relative.EndsWith(e, StringComparison.OrdinalIgnoreCase));
        return relative[..^ending.Length];
    }
}
