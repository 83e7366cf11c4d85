using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GenRM.Notebooks;

/// <summary>
/// The repository-local NuGet feed the notebooks restore the library from (<c>notebooks/.packages/</c>,
/// git-ignored, listed by <c>notebooks/nuget.config</c>). The package's version carries a hash of the
/// library's sources, so a changed library is a new version and NuGet's cache never serves a stale one;
/// the feed holds only the current version, so notebooks ask for <c>GenRM.Workbench, *-*</c> and get it.
/// </summary>
public static class LocalFeed
{
    /// <summary>The library's package id (src/GenRM/GenRM.csproj).</summary>
    public const string PackageId = "GenRM.Workbench";

    /// <summary>The feed folder, relative to the repository root.</summary>
    public static string FeedFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "notebooks", ".packages");

    /// <summary>The notebooks folder of the repository.</summary>
    public static string NotebooksFolder(string repositoryRoot) => Path.Combine(repositoryRoot, "notebooks");

    /// <summary>
    /// 0.1.0-local.&lt;first 10 hex digits of SHA-256 over the library's sources and the shared build files&gt;:
    /// what goes into the package, so the version changes exactly when the library can.
    /// </summary>
    public static string Version(string repositoryRoot)
    {
        var files = new List<string>();
        string library = Path.Combine(repositoryRoot, "src", "GenRM");
        files.AddRange(Directory.EnumerateFiles(library, "*", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(library, f))));
        foreach (string shared in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
        {
            string path = Path.Combine(repositoryRoot, shared);
            if (File.Exists(path))
                files.Add(path);
        }
        string build = Path.Combine(repositoryRoot, "build");
        if (Directory.Exists(build))
            files.AddRange(Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories));

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in files.Select(f => Path.GetRelativePath(repositoryRoot, f).Replace('\\', '/')).Order(StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            // Line endings normalised, so a Windows checkout gets the same version.
            sha.AppendData(Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(repositoryRoot, file)).Replace("\r\n", "\n", StringComparison.Ordinal)));
        }
        string hash = Convert.ToHexStringLower(sha.GetHashAndReset())[..10];
        return "0.1.0-local.g" + hash;
    }

    static bool IsBuildOutput(string relative)
    {
        string first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    /// <summary>
    /// Packs the library into the feed unless the current version is already there (building it first,
    /// which also applies build/TorchSharpLibstdcxxFix.targets to the NuGet cache that the notebook's
    /// kernel restores TorchSharp from). Removes older versions from the feed. Returns the version.
    /// </summary>
    public static string Ensure(string repositoryRoot, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        string version = Version(repositoryRoot);
        string feed = FeedFolder(repositoryRoot);
        string package = Path.Combine(feed, $"{PackageId}.{version}.nupkg");
        if (!File.Exists(package))
        {
            log?.WriteLine($"packing {PackageId} {version} into {Path.GetRelativePath(repositoryRoot, feed)}/ ...");
            var watch = Stopwatch.StartNew();
            Directory.CreateDirectory(feed);
            string project = Path.Combine(repositoryRoot, "src", "GenRM", "GenRM.csproj");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = repositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "pack", project, "-c", "Release", "-o", feed, "-p:PackageVersion=" + version, "-nologo", "-v:q" })
                start.ArgumentList.Add(argument);
            using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(package))
                throw new InvalidOperationException($"dotnet pack of {PackageId} failed (exit {process.ExitCode}):\n{stdout.Result}{stderr.Result}");
            log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packed in {watch.Elapsed.TotalSeconds:0.0} s"));
        }
        foreach (string old in Directory.GetFiles(feed, PackageId + ".*.nupkg"))
            if (!string.Equals(Path.GetFileName(old), Path.GetFileName(package), StringComparison.OrdinalIgnoreCase))
                File.Delete(old);
        File.WriteAllText(Path.Combine(feed, "version.txt"), version + "\n");
        return version;
    }
}
