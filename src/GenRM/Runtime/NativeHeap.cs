using System.Runtime.InteropServices;

namespace GenRM.Runtime;

/// <summary>
/// Keeps libtorch's large, short-lived buffers in the C heap. By default glibc serves blocks of a
/// few MB with fresh <c>mmap</c> pages and returns them on free, so every training or sampling step
/// faults its activations in again and the kernel zeroes each page: on the default MiniWorld model
/// that was 9 % of a training step and 22 % of batch-128 sampling (perf, clear_page_erms). Raising
/// the mmap threshold to its maximum and the trim threshold above a step's working set lets freed
/// blocks be reused; resident memory then stays at its peak instead of shrinking between steps.
/// </summary>
internal static class NativeHeap
{
    const int MmapThreshold = -3, TrimThreshold = -1;
    // glibc's ceiling for the mmap threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX).
    const int LargestMmapThreshold = 32 << 20;
    const int KeepFreedBytes = 1 << 30;

    /// <summary>Applies the settings on Linux with glibc; elsewhere, or where mallopt is missing, does nothing.</summary>
    public static void KeepLargeBuffers()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = SetOption(MmapThreshold, LargestMmapThreshold);
            _ = SetOption(TrimThreshold, KeepFreedBytes);
        }
        catch (EntryPointNotFoundException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int SetOption(int option, int value);
}
