// Maps DllImport("aibperm") to the library file the module found (PowerShell 7 on Linux and
// macOS, where there is no LoadLibraryW). Compiled only on PowerShell 7 (.NET Core), appended
// to NativeMethods.cs in one Add-Type call, so it names types in full instead of using `using`.
namespace AibPermissions
{
    public static class NativeResolver
    {
        private static readonly object Gate = new object();
        private static bool registered;

        /// <summary>The full path of the library; read each time the runtime asks.</summary>
        public static string LibraryPath { get; set; }

        public static void Register(string fullPath)
        {
            lock (Gate)
            {
                LibraryPath = fullPath;
                if (registered)
                {
                    return;
                }
                System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
                registered = true;
            }
        }

        private static System.IntPtr Resolve(string libraryName, System.Reflection.Assembly assembly,
            System.Runtime.InteropServices.DllImportSearchPath? searchPath)
        {
            if (libraryName == "aibperm" && LibraryPath != null)
            {
                return System.Runtime.InteropServices.NativeLibrary.Load(LibraryPath);
            }
            return System.IntPtr.Zero;
        }
    }
}
