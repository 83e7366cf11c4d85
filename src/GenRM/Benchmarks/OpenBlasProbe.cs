using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GenRM.Benchmarks;

/// <summary>
/// The dense product rate of the system's OpenBLAS (Debian's <c>libopenblas0-pthread</c>), called
/// directly: a second opinion on what the machine can do in fp32 and bf16 beside libtorch's own
/// BLAS, which on some CPUs takes a narrower vector path than the hardware has. Absent when no
/// OpenBLAS library is installed, or (bf16) when it has no <c>cblas_sbgemm</c>.
/// </summary>
/// <remarks>
/// OpenBLAS picks its kernels from the CPU's model number, and a virtual machine's generic model
/// ("Intel Xeon Processor") is one it does not know: Debian 12's 0.3.21 then falls back to its
/// Prescott (SSE3) kernels, 44 GFLOP/s here against 301-312 with its SkylakeX ones. Unless the user
/// set <c>OPENBLAS_CORETYPE</c>, the probe sets it from the CPU's vector flags before the library loads.
/// </remarks>
internal sealed class OpenBlasProbe : IDisposable
{
    const int RowMajor = 101, NoTranspose = 111;
    static readonly string[] LibraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"];

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate void Sgemm(int order, int transposeA, int transposeB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate void Sbgemm(int order, int transposeA, int transposeB, int m, int n, int k, float alpha,
        ushort[] a, int lda, ushort[] b, int ldb, float beta, float[] c, int ldc);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate void SetThreads(int threads);

    readonly IntPtr library;
    readonly Sgemm sgemm;
    readonly Sbgemm? sbgemm;

    /// <summary>Which library file was loaded and with which kernels, e.g. "libopenblas.so.0, SkylakeX kernels".</summary>
    public string LibraryName { get; }

    OpenBlasProbe(IntPtr library, string name, int threads)
    {
        (this.library, LibraryName) = (library, name);
        sgemm = Marshal.GetDelegateForFunctionPointer<Sgemm>(NativeLibrary.GetExport(library, "cblas_sgemm"));
        if (NativeLibrary.TryGetExport(library, "cblas_sbgemm", out IntPtr bf16))
            sbgemm = Marshal.GetDelegateForFunctionPointer<Sbgemm>(bf16);
        if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out IntPtr setThreads))
            Marshal.GetDelegateForFunctionPointer<SetThreads>(setThreads)(threads);
    }

    /// <summary>The probe over the first OpenBLAS found, with <paramref name="threads"/> threads; null when there is none.</summary>
    public static OpenBlasProbe? TryLoad(int threads)
    {
        string kernels = Environment.GetEnvironmentVariable(CoreTypeVariable) is { Length: > 0 } asked ? asked : KernelsForThisCpu();
        if (kernels != "auto" && SetNativeEnvironment(CoreTypeVariable, kernels, overwrite: 0) != 0) kernels = "auto";
        foreach (string name in LibraryNames)
            if (NativeLibrary.TryLoad(name, out IntPtr library))
            {
                if (NativeLibrary.TryGetExport(library, "cblas_sgemm", out _))
                    return new OpenBlasProbe(library, $"{name}, {kernels} kernels", threads);
                NativeLibrary.Free(library);
            }
        return null;
    }

    const string CoreTypeVariable = "OPENBLAS_CORETYPE";
    static readonly string[] Avx512Flags = ["avx512f", "avx512bw", "avx512dq", "avx512vl"];

    /// <summary>OpenBLAS's kernels for the widest vectors /proc/cpuinfo lists, or "auto" (its own detection).</summary>
    internal static string KernelsForThisCpu()
    {
        var cpu = Runtime.CpuInfo.Current;
        return Avx512Flags.All(cpu.Has) ? "SkylakeX"
            : cpu.Has("avx2") && cpu.Has("fma") ? "Haswell"
            : "auto";
    }

    // .NET keeps its own copy of the environment; OpenBLAS reads the C library's when it loads.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int SetNativeEnvironment(string name, string value, int overwrite);

    /// <summary>FLOP/s of an n × n by n × n fp32 product, the median of <paramref name="repeats"/> (after one warm-up).</summary>
    public double Fp32FlopsPerSecond(int n, int repeats, long seed)
    {
        float[] a = RandomMatrix(n, seed), b = RandomMatrix(n, seed + 1), c = new float[n * n];
        return 2.0 * n * n * n / MedianSeconds(repeats, () => MultiplyFp32(n, a, b, c));
    }

    /// <summary>FLOP/s of the same product with bf16 inputs and fp32 output; null without <c>cblas_sbgemm</c>.</summary>
    public double? Bf16FlopsPerSecond(int n, int repeats, long seed)
    {
        if (!HasBf16) return null;
        ushort[] a = ToBf16(RandomMatrix(n, seed)), b = ToBf16(RandomMatrix(n, seed + 1));
        float[] c = new float[n * n];
        return 2.0 * n * n * n / MedianSeconds(repeats, () => MultiplyBf16(n, a, b, c));
    }

    /// <summary>Whether the library has a bf16 product (<c>cblas_sbgemm</c>).</summary>
    public bool HasBf16 => sbgemm is not null;

    /// <summary>c = a · b for row-major n × n matrices.</summary>
    internal void MultiplyFp32(int n, float[] a, float[] b, float[] c) =>
        sgemm(RowMajor, NoTranspose, NoTranspose, n, n, n, 1f, a, n, b, n, 0f, c, n);

    /// <summary>c = a · b for row-major n × n bf16 matrices (raw bits), accumulated in fp32.</summary>
    internal void MultiplyBf16(int n, ushort[] a, ushort[] b, float[] c) =>
        sbgemm!(RowMajor, NoTranspose, NoTranspose, n, n, n, 1f, a, n, b, n, 0f, c, n);

    static float[] RandomMatrix(int n, long seed)
    {
        var random = new Random((int)seed);
        return [.. Enumerable.Range(0, n * n).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    // bf16 is the upper half of an fp32 (truncation is enough for a rate).
    internal static ushort[] ToBf16(float[] values) => [.. values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))];

    static double MedianSeconds(int repeats, Action product)
    {
        product();
        var times = new List<double>(repeats);
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            product();
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return BenchTiming.Median(times);
    }

    public void Dispose() => NativeLibrary.Free(library);
}
