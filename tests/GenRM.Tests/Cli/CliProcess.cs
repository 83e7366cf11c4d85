using System.Diagnostics;
using System.Text;

namespace GenRM.Tests.Cli;

/// <summary>The <c>genrm</c> command line as a child process (the apphost built beside the tests), for tests that kill it or need a fresh process.</summary>
internal sealed class CliProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder log = new();

    CliProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    static string Executable => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "GenRM.Cli.exe" : "GenRM.Cli");

    public static CliProcess Start(params string[] args) => Start(configure: null, args);

    /// <summary>Starts it with <paramref name="configure"/> applied to the start info first (its environment, for example).</summary>
    public static CliProcess Start(Action<ProcessStartInfo>? configure, params string[] args)
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args) start.ArgumentList.Add(arg);
        configure?.Invoke(start);
        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>Runs to the end (killed after <paramref name="limit"/>, default 5 minutes); returns the exit code and everything it printed.</summary>
    public (int Code, string Output) WaitToEnd(TimeSpan? limit = null)
    {
        if (!process.WaitForExit(limit ?? TimeSpan.FromMinutes(5)))
            process.Kill();
        process.WaitForExit();
        lock (log) return (process.ExitCode, log.ToString());
    }

    /// <summary>Runs to the end and requires exit code 0.</summary>
    public void Succeeds()
    {
        var (code, output) = WaitToEnd();
        Assert.True(code == 0, $"genrm exited with {code}:\n{output}");
    }

    /// <summary>SIGKILL after <paramref name="delay"/> (no handler, no flush, no cleanup), unless it ended first.</summary>
    public string KillAfter(TimeSpan delay)
    {
        if (process.WaitForExit(delay))
            return $"finished before the kill at {delay.TotalSeconds:F1} s";
        process.Kill();
        process.WaitForExit();
        return $"killed at {delay.TotalSeconds:F1} s";
    }

    /// <summary>SIGKILL as soon as the <paramref name="nth"/> hidden staging folder (<c>.step-*</c>) appears in <paramref name="checkpoints"/>.</summary>
    public string KillWhileStaging(string checkpoints, int nth)
    {
        // Folders left by an earlier killed run are not this run's writes.
        var stale = Directory.Exists(checkpoints) ? Directory.GetDirectories(checkpoints, ".step-*").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal) : [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (Directory.Exists(checkpoints))
            {
                foreach (string staging in Directory.GetDirectories(checkpoints, ".step-*"))
                    if (!stale.Contains(Path.GetFileName(staging)))
                        seen.Add(Path.GetFileName(staging));
                if (seen.Count >= nth)
                {
                    process.Kill();
                    process.WaitForExit();
                    return $"killed while staging a checkpoint ({string.Join(", ", seen.Order(StringComparer.Ordinal))}) at {clock.Elapsed.TotalSeconds:F1} s";
                }
            }
            Thread.Sleep(1);
        }
        return KillAfter(TimeSpan.Zero);
    }

    /// <summary>SIGKILL as soon as <paramref name="condition"/> holds (polled every millisecond), unless it ended first.</summary>
    public string KillWhen(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (condition())
            {
                process.Kill();
                process.WaitForExit();
                return $"killed when {what}, at {clock.Elapsed.TotalSeconds:F1} s";
            }
            Thread.Sleep(1);
        }
        return KillAfter(TimeSpan.Zero);
    }

    /// <summary>
    /// SIGINT, as Ctrl+C sends it, as soon as <paramref name="condition"/> holds (polled every millisecond);
    /// then runs to the end. Where this process was started with SIGINT ignored (a background job, nohup),
    /// the child inherits that and would never see it: SIGTERM then, which the command handles the same way.
    /// </summary>
    public (int Code, string Output) InterruptWhen(Func<bool> condition)
    {
        string signal = InterruptIgnored() ? "-TERM" : "-INT";
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2) && !condition())
            Thread.Sleep(1);
        Assert.False(process.HasExited, "it ended before the interrupt");
        using (var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            kill.WaitForExit();
        return WaitToEnd(TimeSpan.FromMinutes(1));
    }

    /// <summary>Whether SIGINT (signal 2) is in this process's ignored set (Linux's /proc/self/status, SigIgn).</summary>
    static bool InterruptIgnored() =>
        File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal)) is { } line
        && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & 0x2) != 0;

    public void Dispose() => process.Dispose();
}
