using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace GenRM.Reporting;

/// <summary>A piece of software a run used, and its version.</summary>
public sealed record SoftwareVersion(string Name, string Version)
{
    /// <summary>genrm, TorchSharp, libtorch and the .NET runtime of this process (libtorch must be loaded).</summary>
    public static IReadOnlyList<SoftwareVersion> Current() =>
    [
        new("genrm", Of(typeof(SoftwareVersion).Assembly)),
        new("TorchSharp", Of(typeof(TorchSharp.torch).Assembly)),
        new("libtorch", __version__),
        new(".NET", DotNet),
    ];

    /// <summary>The .NET runtime of this process and the platform it was built for.</summary>
    public static string DotNet => $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})";

    /// <summary>An assembly's informational version (with the source revision where the build stamped one).</summary>
    public static string Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
