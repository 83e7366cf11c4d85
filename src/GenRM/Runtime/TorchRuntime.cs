using System.Runtime.InteropServices;
using TorchSharp;

namespace GenRM.Runtime;

/// <summary>What the workbench runs on: libtorch status, devices and threads.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Loads libtorch's native libraries. Call before building any module from another assembly
    /// (a notebook kernel, say), where TorchSharp's own lazy initialisation can miss the native
    /// library and fail with <c>DllNotFoundException: LibTorchSharp</c>.
    /// </summary>
    public static void EnsureLoaded()
    {
        UsePassiveThreadWaiting();
        torch.InitializeDeviceType(DeviceType.CPU);
    }

    /// <summary>
    /// Makes libtorch's OpenMP threads sleep, rather than spin, while they wait for each other
    /// (<c>OMP_WAIT_POLICY=PASSIVE</c>, unless the environment already sets it). It must run before
    /// libtorch is loaded (OpenMP reads it once), so the CLI calls it first thing. Why: on a
    /// machine whose cores other processes also use, a spinning thread holds the core the thread it
    /// waits for needs; on this 2-core machine under load 13, a 2-thread forward of the MiniWorld
    /// model took 683 ms spinning and 15 ms sleeping (1 thread: 52 ms).
    /// </summary>
    public static void UsePassiveThreadWaiting()
    {
        const string Name = "OMP_WAIT_POLICY";
        if ((OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Environment.GetEnvironmentVariable(Name) is null)
            _ = SetEnvironment(Utf8Z(Name), Utf8Z("PASSIVE"), 0);
    }

    // Environment.SetEnvironmentVariable changes only .NET's copy; native libraries read the C library's.
    [DllImport("libc", EntryPoint = "setenv")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int SetEnvironment(byte[] name, byte[] value, int overwrite);

    static byte[] Utf8Z(string text) => System.Text.Encoding.UTF8.GetBytes(text + "\0");

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

    /// <summary>Parses <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c> into a device, failing clearly when CUDA is asked for but absent.</summary>
    public static torch.Device ResolveDevice(string name)
    {
        EnsureLoaded();
        string normalized = name.Trim().ToLowerInvariant();
        if (normalized == "auto")
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (normalized == "cpu")
            return torch.CPU;
        if (normalized.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new InvalidOperationException(
                    "CUDA was asked for, but no GPU is visible to libtorch or this build uses the CPU package; build with -p:TorchDevice=cuda on a GPU machine.");
            return torch.device(normalized);
        }
        throw new ArgumentException($"Unknown device '{name}': use cpu, cuda, cuda:N or auto.", nameof(name));
    }

    /// <summary>Sets libtorch's intra-op thread count (0 leaves libtorch's default).</summary>
    public static void SetThreads(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), "Thread count must be positive.");
        EnsureLoaded();
        if (threads > 0) torch.set_num_threads(threads);
    }
}
