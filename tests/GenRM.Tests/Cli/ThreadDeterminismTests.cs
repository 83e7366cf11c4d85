using GenRM.Modeling;

namespace GenRM.Tests.Cli;

/// <summary>
/// <c>genrm pretrain</c> in fresh processes: the same seed and thread count give byte-identical
/// weights run after run. Across thread counts they need not: on this project's 2-core AMD machine,
/// 1 and 2 threads gave different weights after 3 smoke steps (measured on 2026-12-02, at the
/// earlier commit 0468eaa too), so only the same thread count is promised to reproduce a run bit for bit.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ThreadDeterminismTests
{
    static string Pretrain(TempDirectory temp, string name, int threads)
    {
        string folder = temp.File(name);
        using (var run = CliProcess.Start("pretrain", "--preset", "smoke", "--steps", "3", "--probe", "0", "--seed", "5", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", folder))
            run.Succeeds();
        return Checksum.Sha256(Path.Combine(folder, "model.safetensors"));
    }

    [Fact]
    public void SameSeedAndThreadCountGiveByteIdenticalWeightsAcrossRuns()
    {
        using var temp = new TempDirectory();
        string first = Pretrain(temp, "one-thread-a", threads: 1);
        Assert.Equal(first, Pretrain(temp, "one-thread-b", threads: 1));
        Assert.Equal(Pretrain(temp, "two-threads-a", threads: 2), Pretrain(temp, "two-threads-b", threads: 2));
        Assert.NotEqual(first, Checksum.Sha256(Path.Combine(TestPaths.RepositoryRoot, "data", "miniworld", "smoke", "model.safetensors")));
    }
}
