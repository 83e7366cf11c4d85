using System.Collections.Concurrent;
using GenRM.Runtime;

namespace GenRM.Tests.Fuzzing;

/// <summary>Every input that once crashed a reader (kept under Fuzzing/Corpus/&lt;target&gt;/) is now read or refused clearly.</summary>
public sealed class CorpusReplayTests
{
    static string CorpusFolder => Path.Combine(TestPaths.RepositoryRoot, "tests", "GenRM.Tests", "Fuzzing", "Corpus");

    public static TheoryData<string, string> Inputs()
    {
        var data = new TheoryData<string, string>();
        foreach (string target in FuzzTargets.Names)
        {
            string folder = Path.Combine(CorpusFolder, target);
            if (Directory.Exists(folder))
                foreach (string file in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
                    data.Add(target, Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void KeptCrashingInputIsNowReadOrRefusedClearly(string target, string file)
    {
        TorchRuntime.EnsureLoaded();
        using var folder = new TempDirectory();
        var failures = new ConcurrentDictionary<string, FuzzFailure>(StringComparer.Ordinal);
        FuzzHarness.Check(FuzzTargets.Get(target), File.ReadAllBytes(Path.Combine(CorpusFolder, target, file)), folder.Path, failures);
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Values.Select(f => $"{f.Kind}: {f.Detail}")));
    }
}
