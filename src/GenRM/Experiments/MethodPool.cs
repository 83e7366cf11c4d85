using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace GenRM.Experiments;

/// <summary>
/// Runs a study's methods on worker threads, each with its own share of libtorch's threads. A
/// method starts from the shared base model (read, never written) and draws only from its own
/// seeded generators, so its numbers depend on the threads it computes with, not on which methods
/// run beside it. Small models leave a core idle while decoding (a step is a chain of small,
/// memory-bound products), which is what running methods side by side recovers.
/// </summary>
internal static class MethodPool
{
    /// <summary>
    /// Runs <paramref name="run"/> for every method, at most <paramref name="workers"/> at once with
    /// <paramref name="threadsEach"/> libtorch threads each, and returns the results in the order of
    /// <paramref name="methods"/>. One worker runs them in order on the calling thread. Several start
    /// the methods <paramref name="longRunning"/> names before the others, and the later methods first
    /// within each: in the study's order the STaR methods come last and take longest, and the
    /// chain-of-thought judges sample rationales for every evaluation pair, so the short ones fill in
    /// at the end instead of leaving a worker idle. The first failure cancels the rest and is rethrown as it was.
    /// </summary>
    public static IReadOnlyList<T> Run<T>(IReadOnlyList<string> methods, int workers, int threadsEach,
        Func<string, CancellationToken, T> run, CancellationToken cancellation, Func<string, bool>? longRunning = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadsEach, 1);
        if (workers == 1)
            return [.. methods.Select(method => { cancellation.ThrowIfCancellationRequested(); return run(method, cancellation); })];
        var results = new T[methods.Count];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var queue = new ConcurrentQueue<int>(Enumerable.Range(0, methods.Count).Reverse().OrderByDescending(i => longRunning?.Invoke(methods[i]) ?? false));
        ExceptionDispatchInfo? failure = null;

        void Work()
        {
            // libtorch's thread count is kept per thread (OpenMP), so each worker sets its own.
            set_num_threads(threadsEach);
            while (!stop.IsCancellationRequested && queue.TryDequeue(out int index))
            {
                try
                {
                    results[index] = run(methods[index], stop.Token);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                    stop.Cancel();
                }
            }
        }

        var threads = Enumerable.Range(0, Math.Min(workers, methods.Count))
            .Select(i => new Thread(Work) { Name = $"genrm-method-{i}", IsBackground = true }).ToArray();
        int callerThreads = get_num_threads();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        // Parts of libtorch's setting are process-wide (MKL's), so the caller's is put back.
        set_num_threads(callerThreads);
        failure?.Throw();
        cancellation.ThrowIfCancellationRequested();
        return results;
    }
}
