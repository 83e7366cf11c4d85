using GenRM.Experiments;
using GenRM.Reporting;

namespace GenRM.Tests.Experiments;

public sealed class MethodPoolTests
{
    static readonly string[] Methods = ["a", "b", "c", "d", "e"];

    [Fact]
    public void ResultsComeBackInTheMethodsOrderWhateverFinishesFirst()
    {
        var results = MethodPool.Run(Methods, workers: 2, threadsEach: 1, (method, _) =>
        {
            Thread.Sleep(method == "e" ? 200 : 10);
            return method.ToUpperInvariant();
        }, CancellationToken.None);
        Assert.Equal(["A", "B", "C", "D", "E"], results);
    }

    [Fact]
    public void SeveralWorkersRunMethodsAtOnceAndStartTheLastFirst()
    {
        int running = 0, most = 0;
        var started = new System.Collections.Concurrent.ConcurrentQueue<string>();
        MethodPool.Run(Methods, workers: 2, threadsEach: 1, (method, _) =>
        {
            started.Enqueue(method);
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(50);
            Interlocked.Decrement(ref running);
            return 0;
        }, CancellationToken.None);
        Assert.Equal(2, most);
        Assert.Equal(["e", "d"], started.Take(2).Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void LongRunningMethodsStartBeforeTheOthersAndOneWorkerKeepsTheOrder()
    {
        var started = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Func<string, bool> longRunning = method => method is "a" or "c" or "e";
        MethodPool.Run(Methods, workers: 2, threadsEach: 1, (method, _) =>
        {
            started.Enqueue(method);
            Thread.Sleep(method is "a" or "c" or "e" ? 60 : 10);
            return 0;
        }, CancellationToken.None, longRunning);
        Assert.Equal(["c", "e"], started.Take(2).Order(StringComparer.Ordinal));
        Assert.Equal(["a", "b", "c", "d", "e"], started.Order(StringComparer.Ordinal));
        Assert.Equal("a", started.ElementAt(2));

        var order = new List<string>();
        MethodPool.Run(Methods, workers: 1, threadsEach: 1, (method, _) => { order.Add(method); return 0; }, CancellationToken.None, longRunning);
        Assert.Equal(Methods, order);
    }

    [Fact]
    public void OneWorkerRunsInOrderOnTheCallingThread()
    {
        int caller = Environment.CurrentManagedThreadId;
        var order = new List<string>();
        MethodPool.Run(Methods, workers: 1, threadsEach: 1, (method, _) =>
        {
            Assert.Equal(caller, Environment.CurrentManagedThreadId);
            order.Add(method);
            return 0;
        }, CancellationToken.None);
        Assert.Equal(Methods, order);
    }

    [Fact]
    public void TheFirstFailureStopsTheOthersAndIsRethrownAsItWas()
    {
        int finished = 0;
        var error = Assert.Throws<BadInputException>(() => MethodPool.Run(Methods, workers: 2, threadsEach: 1, (method, token) =>
        {
            if (method == "e") throw new BadInputException("bad data in e");
            // The others wait for the cancellation the failure brings.
            token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
            token.ThrowIfCancellationRequested();
            Interlocked.Increment(ref finished);
            return 0;
        }, CancellationToken.None));
        Assert.Equal("bad data in e", error.Message);
        Assert.Equal(0, finished);
    }

    [Fact]
    public void EachWorkerComputesWithItsShareOfThreadsAndTheCallerKeepsItsOwn()
    {
        int before = TorchSharp.torch.get_num_threads();
        var seen = MethodPool.Run(Methods, workers: 2, threadsEach: 1, (_, _) => TorchSharp.torch.get_num_threads(), CancellationToken.None);
        Assert.All(seen, threads => Assert.Equal(1, threads));
        Assert.Equal(before, TorchSharp.torch.get_num_threads());
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}

/// <summary>Methods run side by side give exactly the numbers they give one after another with the same threads each.</summary>
[Trait("Category", "Slow")]
public sealed class ParallelMethodsTests
{
    [Fact]
    public void TwoWorkersGiveTheSameOutcomesAsOneWithTheSameThreadsEach()
    {
        string[] methods = [StudyOrder.ZeroShot, StudyOrder.BradleyTerry, StudyOrder.PairRm, StudyOrder.GenRm, StudyOrder.StarSft];
        var spec = Presets.Smoke with { Methods = methods };
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        var sequential = new StudyRunner(spec with { Threads = 1, Workers = 1 }, one.Path).Run();
        var parallel = new StudyRunner(spec with { Threads = 2, Workers = 2 }, two.Path).Run();

        Assert.Equal(methods, parallel.Outcomes.Select(o => o.Method));
        foreach (var (a, b) in sequential.Outcomes.Zip(parallel.Outcomes))
        {
            Assert.Equal(a.Method, b.Method);
            Assert.Equal(a.Rows, b.Rows);
            Assert.Equal(a.Items, b.Items);
            Assert.Equal(Losses(a), Losses(b));
            Assert.Equal(a.StarIterations.Select(i => (i.Kept, i.Sampled, i.HeldOutAccuracy)), b.StarIterations.Select(i => (i.Kept, i.Sampled, i.HeldOutAccuracy)));
        }
        foreach (string method in methods.Where(m => m != StudyOrder.ZeroShot))
        {
            static byte[] Weights(string folder, string method) => File.ReadAllBytes(Path.Combine(folder, "methods", method, "model", "model.safetensors"));
            Assert.True(Weights(one.Path, method).AsSpan().SequenceEqual(Weights(two.Path, method)), $"{method}: trained weights differ");
        }
        Assert.Contains("running 2 methods at once, 1 thread(s) each", File.ReadAllText(Path.Combine(two.Path, "run.log")), StringComparison.Ordinal);
    }

    static double[] Losses(GenRM.Experiments.MethodOutcome outcome) => [.. outcome.Metrics.Select(row => row["loss"])];
}
