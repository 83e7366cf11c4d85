namespace GenRM.Tests;

/// <summary>Where the tests find the repository, the shared real data sets, and scratch folders.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding GenRM.Workbench.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>A path under the committed test fixtures, tests/GenRM.Tests/Fixtures.</summary>
    public static string Fixtures(params string[] parts) => Path.Combine([RepositoryRoot, "tests", "GenRM.Tests", "Fixtures", .. parts]);

    /// <summary>../shared/datasets beside the checkout, or null when it is absent (tests then skip).</summary>
    public static string? SharedDatasets
    {
        get
        {
            string path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "datasets"));
            return Directory.Exists(path) ? path : null;
        }
    }

    /// <summary>Skips the calling test with a clear message when ../shared/datasets is absent.</summary>
    public static string RequireSharedDatasets()
    {
        Skip.If(SharedDatasets is null, $"The shared data sets are not beside this checkout ({Path.Combine(RepositoryRoot, "..", "shared", "datasets")}); skipping the real-data test.");
        return SharedDatasets!;
    }

    static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "GenRM.Workbench.sln")))
                return dir.FullName;
        throw new InvalidOperationException("GenRM.Workbench.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("genrm-test-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: a scratch folder left behind is harmless */ }
    }
}
