using System.Diagnostics;

namespace Junction.Testing;

/// <summary>
/// A small tmpfs mounted for one test, so that "the disk is full" is real (ENOSPC) rather than simulated. Mounting
/// needs root, which the test command has; <see cref="TryMountAsync"/> answers null where it is not allowed.
/// </summary>
public sealed class SmallFilesystem : IAsyncDisposable
{
    private SmallFilesystem(string path) => Path = path;

    public string Path { get; }

    public static async Task<SmallFilesystem?> TryMountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "junction-smallfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        var (exit, _) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
        if (exit != 0)
        {
            Directory.Delete(path);
            return null;
        }

        return new SmallFilesystem(path);
    }

    /// <summary>Fills the filesystem until the kernel refuses more, leaving at most <paramref name="leaveBytes"/> free; answers the filler file.</summary>
    public string Fill(long leaveBytes = 0)
    {
        var filler = System.IO.Path.Combine(Path, "filler.bin");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[64 * 1024];
        try
        {
            while (new DriveInfo(Path).AvailableFreeSpace > leaveBytes + chunk.Length)
            {
                stream.Write(chunk);
            }

            if (leaveBytes == 0)
            {
                while (true)
                {
                    stream.Write(chunk, 0, 4096);
                }
            }
        }
        catch (IOException)
        {
            // No space left: that is the point.
        }

        return filler;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
