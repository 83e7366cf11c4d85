using System.Diagnostics;
using System.Globalization;

namespace GenRM.Planning;

/// <summary>How much memory a device has: the CPU's RAM (within the container's limit), or a GPU's total.</summary>
public static class DeviceMemory
{
    /// <summary>Whether <paramref name="device"/> (cpu, cuda, cuda:N or auto) names the CPU.</summary>
    public static bool IsCpu(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        string name = device.Trim().ToLowerInvariant();
        return name == "cpu" || (name == "auto" && !Runtime.TorchRuntime.CudaAvailable);
    }

    /// <summary>
    /// <paramref name="memory"/> when given (e.g. 80GiB); else the device's total: for the CPU,
    /// MemTotal of /proc/meminfo or the cgroup's memory.max when lower; for CUDA, nvidia-smi's
    /// memory.total (TorchSharp has no call for it). Null, with the reason, when it cannot be known.
    /// </summary>
    public static (long Bytes, string Source)? TryTotal(string device, string? memory, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(device);
        reason = null;
        if (memory is not null) return (ByteSize.Parse(memory, "--memory"), "--memory");
        string name = device.Trim().ToLowerInvariant();
        if (IsCpu(name)) return CpuTotal();
        if (name == "auto") name = "cuda";
        int index = name.StartsWith("cuda:", StringComparison.Ordinal) ? int.Parse(name.AsSpan(5), CultureInfo.InvariantCulture) : 0;
        if (GpuTotal(index) is long gpu) return (gpu, $"nvidia-smi, GPU {index}");
        reason = $"the memory of device '{device}' is unknown (TorchSharp does not report it and nvidia-smi did not answer); give --memory, e.g. --memory 80GiB";
        return null;
    }

    static (long, string) CpuTotal()
    {
        long total = ReadMemInfo("/proc/meminfo", "MemTotal") ?? throw new BadInputException("/proc/meminfo: no MemTotal line; give --memory.");
        // A container's limit (cgroup v2) binds before the machine's RAM does.
        if (File.Exists("/sys/fs/cgroup/memory.max") && long.TryParse(File.ReadAllText("/sys/fs/cgroup/memory.max").Trim(), out long limit) && limit < total)
            return (limit, "cgroup memory.max");
        return (total, "/proc/meminfo MemTotal");
    }

    /// <summary>A <c>Name:   N kB</c> line of /proc/meminfo or /proc/self/status, in bytes.</summary>
    public static long? ReadMemInfo(string path, string field)
    {
        foreach (string line in File.ReadLines(path))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            string[] parts = line[(field.Length + 1)..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0], CultureInfo.InvariantCulture) * (parts.Length > 1 && parts[1] == "kB" ? 1024 : 1);
        }
        return null;
    }

    static long? GpuTotal(int index)
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", $"--query-gpu=memory.total --format=csv,noheader,nounits -i {index}")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null) return null;
            string text = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(10_000) || process.ExitCode != 0) return null;
            return long.TryParse(text.Trim(), CultureInfo.InvariantCulture, out long mib) ? mib * 1024 * 1024 : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;  // no nvidia-smi on this machine
        }
    }
}
