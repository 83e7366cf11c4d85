using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace GenRM.Runtime;

/// <summary>What the workbench runs on: libtorch status, devices and threads.</summary>
public static class TorchRuntime
{
    /// <summary>The device names <see cref="ResolveDevice"/> accepts, for help texts.</summary>
    public const string DeviceNames = "cpu, cuda, cuda:N or auto";

    /// <summary>
    /// Whether this build references libtorch's CUDA package (<c>-p:TorchDevice=cuda</c>); the CPU
    /// package cannot use a GPU whatever the machine has.
    /// </summary>
    public static bool IsCudaBuild =>
#if TORCH_CUDA
        true;
#else
        false;
#endif

    /// <summary>
    /// Loads libtorch's native libraries. Call before building any module from another assembly
    /// (a notebook kernel, say), where TorchSharp's own lazy initialisation can miss the native
    /// library and fail with <c>DllNotFoundException: LibTorchSharp</c>.
    /// </summary>
    public static void EnsureLoaded()
    {
        BoundThreadSpinning();
        NativeHeap.KeepLargeBuffers();
        _ = PackagedLibTorchLoaded.Value;
        // The CUDA libraries must be loaded before the first tensor for libtorch to register its
        // CUDA backend; without a GPU this returns false and the CPU backend below still loads.
        if (IsCudaBuild) torch.TryInitializeDeviceType(DeviceType.CUDA);
        torch.InitializeDeviceType(DeviceType.CPU);
    }

    /// <summary>
    /// Bounds how long libtorch's OpenMP threads spin while waiting for each other before they sleep,
    /// unless the environment already says (<c>OMP_WAIT_POLICY</c>, <c>GOMP_SPINCOUNT</c>). It must
    /// run before libtorch is loaded (OpenMP reads these once), so the CLI calls it first thing. Why:
    /// GNU OpenMP's default spins ~300,000 rounds, and on a machine whose cores other processes also
    /// use a spinning thread holds the core the thread it waits for needs (2 cores, load 13: a 2-thread
    /// forward of the MiniWorld model took 683 ms; sleeping at once, 15 ms). Sleeping at once costs a
    /// wake-up per parallel region instead: on an idle machine 1,000 rounds (GOMP_SPINCOUNT) made a
    /// batch-32 decoding step 7.7 -> 5.9 ms and a training step ~5 % faster than sleeping at once, and
    /// with two busy processes on the two cores it was no slower. LLVM's OpenMP (macOS) has no spin
    /// count, so there the threads sleep at once (<c>OMP_WAIT_POLICY=PASSIVE</c>).
    /// </summary>
    public static void BoundThreadSpinning()
    {
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null)
            return;
        if (OperatingSystem.IsLinux())
            _ = SetEnvironment(Utf8Z("GOMP_SPINCOUNT"), Utf8Z("1000"), 0);
        else if (OperatingSystem.IsMacOS())
            _ = SetEnvironment(Utf8Z("OMP_WAIT_POLICY"), Utf8Z("PASSIVE"), 0);
    }

    // Environment.SetEnvironmentVariable changes only .NET's copy; native libraries read the C library's.
    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int SetEnvironment(byte[] name, byte[] value, int overwrite);

    static byte[] Utf8Z(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");

    /// <summary>
    /// The folder of the libtorch this library was built against, inside the NuGet package cache, when
    /// the process carries no libtorch of its own (a notebook kernel restores the library as a package;
    /// an application such as the CLI has libtorch beside it); null otherwise.
    /// </summary>
    public static string? PackagedLibTorchFolder => PackagedLibTorch.Value;

    static readonly Lazy<string?> PackagedLibTorch = new(FindPackagedLibTorch);

    static string? FindPackagedLibTorch()
    {
        if (!OperatingSystem.IsLinux() || File.Exists(Path.Combine(AppContext.BaseDirectory, "libtorch_cpu.so"))
            || File.Exists(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libtorch_cpu.so")))
            return null;
        string? package = typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "LibTorchPackage")?.Value;
        string torchSharp = typeof(torch).Assembly.Location; // <packages>/torchsharp/<version>/lib/<framework>/TorchSharp.dll
        if (package is null || torchSharp.Length == 0) return null;
        string folder = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(torchSharp)!, "..", "..", "..", "..", package, "runtimes", "linux-x64", "native"));
        return File.Exists(Path.Combine(folder, "libtorch.so")) ? folder : null;
    }

    // TorchSharp first asks the system loader for "torch_cpu" by name, so in a notebook kernel a
    // libtorch on the library path (Debian's python3-torch installs 1.13 there) is loaded instead of the
    // package's, and libLibTorchSharp then fails on a missing c10 symbol. Loading the package's libtorch
    // by its full path first makes those by-name lookups find it (same soname) and nothing else.
    // Once per process: EnsureLoaded runs for every model built.
    static readonly Lazy<bool> PackagedLibTorchLoaded = new(() =>
    {
        if (PackagedLibTorchFolder is not { } folder) return false;
        NativeLibrary.Load(Path.Combine(folder, "libtorch.so"));
        return true;
    });

    /// <summary>Tries to load libtorch and reports the failure instead of throwing.</summary>
    public static bool TryLoad(out string? error)
    {
        try
        {
            EnsureLoaded();
            error = null;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException)
        {
            error = e.InnerException?.Message ?? e.Message;
            return false;
        }
    }

    /// <summary>Whether a GPU can be used: a CUDA build, and libtorch sees at least one device.</summary>
    public static bool CudaAvailable
    {
        get
        {
            if (!IsCudaBuild) return false;
            EnsureLoaded();
            return torch.cuda.is_available();
        }
    }

    /// <summary>Whether <paramref name="name"/> is a device name <see cref="ResolveDevice"/> understands (no libtorch needed).</summary>
    public static bool IsDeviceName(string name)
    {
        string normalized = name.Trim().ToLowerInvariant();
        return normalized is "cpu" or "cuda" or "auto"
            || (normalized.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(normalized.AsSpan(5), out int index) && index >= 0);
    }

    /// <summary>
    /// Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> (CUDA when available, else the CPU)
    /// into a device.
    /// </summary>
    /// <exception cref="BadInputException">
    /// An unknown name, or CUDA asked for where this build has no CUDA package, no GPU is visible, or
    /// the index is past the last GPU: the message says which and what to do.
    /// </exception>
    public static torch.Device ResolveDevice(string name)
    {
        if (!IsDeviceName(name))
            throw new BadInputException($"unknown device '{name}': use {DeviceNames}.");
        EnsureLoaded();
        string normalized = name.Trim().ToLowerInvariant();
        if (normalized == "auto")
            return CudaAvailable ? torch.CUDA : torch.CPU;
        if (normalized == "cpu")
            return torch.CPU;
        if (!IsCudaBuild)
            throw new BadInputException($"device '{name}': this build uses libtorch's CPU package. Build with -p:TorchDevice=cuda (the devcontainer does) on a machine with an NVIDIA GPU, or use --device cpu or auto.");
        if (!torch.cuda.is_available())
            throw new BadInputException($"device '{name}': no GPU is visible to libtorch (no NVIDIA driver, or a container started without --gpus all). Check nvidia-smi, or use --device cpu or auto.");
        int count = torch.cuda.device_count();
        if (normalized.StartsWith("cuda:", StringComparison.Ordinal) && int.Parse(normalized.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture) >= count)
            throw new BadInputException($"device '{name}': libtorch sees {count} GPU(s), numbered from 0.");
        return torch.device(normalized);
    }

    /// <summary>
    /// The weight dtype for <c>auto</c> precision: bf16 on a GPU (training keeps fp32 master copies
    /// in the optimizer), fp32 on the CPU, where bf16 matmuls are slow and less exact.
    /// </summary>
    public static torch.ScalarType DefaultDType(torch.Device device) =>
        device.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;

    /// <summary>Parses <c>auto</c>, <c>float32</c> (fp32) or <c>bfloat16</c> (bf16) into a weight dtype for <paramref name="device"/>.</summary>
    /// <exception cref="BadInputException">Any other name.</exception>
    public static torch.ScalarType ResolveDType(string name, torch.Device device) => name.Trim().ToLowerInvariant() switch
    {
        "auto" => DefaultDType(device),
        "float32" or "fp32" => torch.ScalarType.Float32,
        "bfloat16" or "bf16" => torch.ScalarType.BFloat16,
        _ => throw new BadInputException($"unknown dtype '{name}': use auto, float32 or bfloat16."),
    };

    /// <summary>Sets libtorch's intra-op thread count (0 leaves libtorch's default).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "Thread count must be positive.");
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }
}
