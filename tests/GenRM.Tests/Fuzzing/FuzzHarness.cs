using Xunit.Abstractions;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using CsCheck;

namespace GenRM.Tests.Fuzzing;

/// <summary>What went wrong with one input, and where the input was kept.</summary>
internal sealed record FuzzFailure(string Kind, string Detail, string SavedAs);

/// <summary>How a fuzz run went: inputs tried, how many were refused with a clear error, and the distinct failures.</summary>
internal sealed record FuzzOutcome(string Target, long Inputs, long Refused, IReadOnlyList<FuzzFailure> Failures)
{
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Target}: {Inputs} inputs, {Refused} refused with BadInputException, {Inputs - Refused} read, {Failures.Count} distinct failures");
}

/// <summary>
/// Runs a reader on generated inputs, each on its own thread with a time limit, and checks the
/// three promises: no exception but <see cref="BadInputException"/>, no hang, and no managed
/// allocation out of proportion to the file (a few MiB plus a multiple of its size).
/// </summary>
internal static class FuzzHarness
{
    const long AllocationSlackBytes = 32L << 20;
    const long AllocationPerInputByte = 256;

    /// <summary>Mutated seed files most of the time, plain random bytes otherwise.</summary>
    public static Gen<byte[]> Inputs(FuzzTarget target) =>
        Gen.Int[0, 9].SelectMany(kind => kind == 0
            ? Gen.Byte.Array[0, 600]
            : Gen.Select(Gen.Int[0, target.Seeds.Count - 1], Gen.UInt, (i, seed) => Mutator.Mutate(target.Seeds[i], target.Seeds, seed)));

    /// <summary>The fixed-seed pass (the suite) or, when <see cref="FuzzBudget.Seconds"/> is set, a timed random run.</summary>
    public static FuzzOutcome Run(FuzzTarget target)
    {
        using var folder = new TempDirectory();
        var failures = new ConcurrentDictionary<string, FuzzFailure>(StringComparer.Ordinal);
        long inputs = 0, refused = 0;
        void Try(byte[] input)
        {
            Interlocked.Increment(ref inputs);
            if (Check(target, input, folder.Path, failures))
                Interlocked.Increment(ref refused);
        }

        // Every seed must be read without complaint, or the mutations start from nothing valid.
        foreach (byte[] seed in target.Seeds)
        {
            string path = Path.Combine(folder.Path, target.FileName);
            File.WriteAllBytes(path, seed);
            target.Read(path);
        }
        var gen = Inputs(target);
        if (FuzzBudget.Seconds > 0)
        {
            gen.Sample(Try, iter: long.MaxValue, time: FuzzBudget.Seconds, threads: 1);
        }
        else
        {
            for (int i = 0; i < FuzzBudget.Iterations; i++)
                Try(gen.Generate(new PCG(7, (ulong)i), null, out _));
        }
        var outcome = new FuzzOutcome(target.Name, inputs, refused, [.. failures.Values]);
        if (FuzzBudget.ReportFile is { } report)
            File.AppendAllText(report, outcome.Summary + Environment.NewLine);
        return outcome;
    }

    /// <summary>Reads one input; true when it was refused with a <see cref="BadInputException"/>. Failures are recorded by kind and site.</summary>
    public static bool Check(FuzzTarget target, byte[] input, string folder, ConcurrentDictionary<string, FuzzFailure> failures)
    {
        string path = Path.Combine(folder, target.FileName);
        File.WriteAllBytes(path, input);
        Exception? error = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            try { target.Read(path); }
            catch (Exception e) { error = e; }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }, maxStackSize: 16 << 20) { IsBackground = true };
        thread.Start();
        if (!thread.Join(FuzzBudget.PerInputTimeout))
        {
            Record(target, input, failures, "hang", $"no result within {FuzzBudget.PerInputTimeout.TotalSeconds} s");
            return false;
        }
        long limit = AllocationSlackBytes + AllocationPerInputByte * input.Length;
        if (allocated > limit)
            Record(target, input, failures, "allocation", $"allocated {allocated:N0} bytes for a {input.Length}-byte file (limit {limit:N0})");
        if (error is BadInputException)
            return true;
        if (error is not null)
            Record(target, input, failures, error.GetType().Name + " at " + Site(error), $"{error.GetType().FullName}: {error.Message}");
        return false;
    }

    static void Record(FuzzTarget target, byte[] input, ConcurrentDictionary<string, FuzzFailure> failures, string kind, string detail)
    {
        if (failures.ContainsKey(kind)) return;
        string folder = Path.Combine(FuzzBudget.FailureFolder, target.Name);
        Directory.CreateDirectory(folder);
        string saved = Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
        File.WriteAllBytes(saved, input);
        failures.TryAdd(kind, new FuzzFailure(kind, detail, saved));
    }

    /// <summary>The innermost frame in GenRM's own code: failures thrown from the same place count once.</summary>
    static string Site(Exception error)
    {
        string[] frames = (error.StackTrace ?? "").Split('\n', StringSplitOptions.TrimEntries);
        return frames.FirstOrDefault(f => f.Contains("GenRM.", StringComparison.Ordinal) && !f.Contains("GenRM.Tests", StringComparison.Ordinal))
            ?? frames.FirstOrDefault() ?? "?";
    }

    /// <summary>Fails with every distinct failure, each naming the kept input.</summary>
    public static void AssertClean(FuzzOutcome outcome, ITestOutputHelper output)
    {
        output.WriteLine(outcome.Summary);
        Assert.True(outcome.Failures.Count == 0, outcome.Summary + ":\n" + string.Join("\n",
            outcome.Failures.Select(f => $"  {f.Kind}: {f.Detail} (input kept as {f.SavedAs})")));
        Assert.True(outcome.Refused > 0, $"{outcome.Summary}: no input was refused, so the mutations reached nothing the reader checks");
    }
}
