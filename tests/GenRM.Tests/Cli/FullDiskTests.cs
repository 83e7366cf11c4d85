using System.Diagnostics;
using GenRM.Modeling;
using Xunit.Abstractions;

namespace GenRM.Tests.Cli;

/// <summary>
/// A run folder on a small filesystem that fills up: <c>genrm reproduce</c> stops with one clear line
/// (exit 1, the file and "No space left on device", no stack trace), removes its partial files, and
/// leaves the earlier run beside it byte for byte. Needs root to mount a tmpfs; skips otherwise.
/// </summary>
[Trait("Category", "Slow")]
public sealed class FullDiskTests(ITestOutputHelper log)
{
    const string Spec = """
        {"preset": "full-disk", "seed": 3, "threads": 1, "methods": ["bradley-terry"], "mini_world": {"size": "smoke"},
         "fine_tune": {"learning_rate": 0.0002, "rationalizer_learning_rate": 0.0008, "epochs": 1, "batch_size": 8, "max_length": 512},
         "evaluation": {"votes": 1, "batch_size": 64, "position_bias_items": 0, "held_out_items": 8}}
        """;

    [SkippableFact]
    public void RunOnAFullFilesystemFailsClearlyAndLeavesEarlierResultsIntact()
    {
        using var temp = new TempDirectory();
        string mount = temp.File("small");
        Directory.CreateDirectory(mount);
        string? refused = Mount(mount, "24m");
        Skip.If(refused is not null, $"cannot mount a 24 MB tmpfs here ({refused}); the full-disk test needs root and mount permission.");
        try
        {
            string spec = temp.File("spec.json");
            File.WriteAllText(spec, Spec);
            string earlier = Path.Combine(mount, "earlier");
            using (var run = CliProcess.Start("reproduce", "--preset", spec, "--out", earlier))
                run.Succeeds();
            var before = Snapshot(earlier);

            // Leave 1 MB: enough to start a run, too little for its first checkpoint (model and AdamW moments, ~7 MB).
            var free = new DriveInfo(mount).AvailableFreeSpace;
            using (var filler = File.Create(Path.Combine(mount, "filler")))
                filler.Write(new byte[Math.Max(0, free - (1 << 20))]);

            string later = Path.Combine(mount, "later");
            using var failing = CliProcess.Start("reproduce", "--preset", spec, "--out", later);
            var (code, output) = failing.WaitToEnd();
            log.WriteLine(output);
            Assert.True(code == 1, $"exit {code}:\n{output}");
            Assert.Contains("No space left on device", output, StringComparison.Ordinal);
            Assert.Contains(later, output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(later, ".*.tmp", SearchOption.AllDirectories));
            Assert.Empty(Directory.GetFileSystemEntries(later, ".step-*", SearchOption.AllDirectories));
            Assert.Equal(before, Snapshot(earlier));
        }
        finally
        {
            Unmount(mount);
        }
    }

    static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(
            file => Path.GetRelativePath(folder, file),
            Checksum.Sha256,
            StringComparer.Ordinal);

    /// <summary>Mounts a tmpfs; null on success, else why not.</summary>
    static string? Mount(string folder, string size)
    {
        if (!OperatingSystem.IsLinux()) return "not Linux";
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
        return code == 0 ? null : output.Trim();
    }

    static void Unmount(string folder)
    {
        if (Run("umount", folder).Code != 0)
            Run("umount", "-l", folder);
    }

    static (int Code, string Output) Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
