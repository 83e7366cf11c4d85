using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace GenRM.Benchmarks;

/// <summary>Wall-clock timing that waits for the device, and medians.</summary>
internal static class BenchTiming
{
    /// <summary>Seconds <paramref name="action"/> took, the device's queued work included.</summary>
    public static double Seconds(Device device, Action action)
    {
        Synchronize(device);
        var clock = Stopwatch.StartNew();
        action();
        Synchronize(device);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The median of <paramref name="repeats"/> timings of <paramref name="action"/>.</summary>
    public static double MedianSeconds(Device device, int repeats, Action action) =>
        Median([.. Enumerable.Range(0, repeats).Select(_ => Seconds(device, action))]);

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("no values to take the median of", nameof(values));
        double[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    static void Synchronize(Device device)
    {
        if (device.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
