// P/Invoke declarations for the aibperm C ABI and the small helpers that copy buffers and
// release what the library owns. Written at C# 5 level: Windows PowerShell 5.1 compiles it.
using System;
using System.Runtime.InteropServices;

namespace AibPermissions
{
    /// <summary>A non-OK status from the native library, with the fields of its error JSON.</summary>
    public class NativeException : Exception
    {
        public NativeException(uint status, string statusName, string message, int httpStatus,
            string armCode, string requestId, string target, string recommendedAction, string errorJson)
            : base(message)
        {
            Status = status;
            StatusName = statusName;
            HttpStatus = httpStatus;
            ArmCode = armCode;
            RequestId = requestId;
            Target = target;
            RecommendedAction = recommendedAction;
            ErrorJson = errorJson;
        }

        public uint Status { get; private set; }
        public string StatusName { get; private set; }
        /// <summary>The HTTP status of a service error, 0 when there is none.</summary>
        public int HttpStatus { get; private set; }
        public string ArmCode { get; private set; }
        public string RequestId { get; private set; }
        public string Target { get; private set; }
        public string RecommendedAction { get; private set; }
        public string ErrorJson { get; private set; }
    }

    public static class NativeMethods
    {
        private const string Lib = "aibperm";

        public const uint StatusOk = 0;
        public const uint StatusPending = 1;

        [DllImport("kernel32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern IntPtr aibperm_version();

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern void aibperm_buffer_free(IntPtr ptr, UIntPtr len);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_error_json(IntPtr error, out IntPtr json, out UIntPtr jsonLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern void aibperm_error_free(IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_role_generate(byte[] request, UIntPtr requestLen,
            out IntPtr result, out UIntPtr resultLen, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_role_file_parse(byte[] request, UIntPtr requestLen,
            out IntPtr result, out UIntPtr resultLen, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_role_file_render(byte[] request, UIntPtr requestLen,
            out IntPtr result, out UIntPtr resultLen, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_scope_parse(byte[] request, UIntPtr requestLen,
            out IntPtr result, out UIntPtr resultLen, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_client_new(byte[] config, UIntPtr configLen,
            out IntPtr client, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern void aibperm_client_free(IntPtr client);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_client_take_log(IntPtr client,
            out IntPtr result, out UIntPtr resultLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_operation_start(IntPtr client, byte[] name, UIntPtr nameLen,
            byte[] request, UIntPtr requestLen, out IntPtr operation, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_operation_wait(IntPtr operation, uint timeoutMs);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_operation_progress(IntPtr operation,
            out IntPtr result, out UIntPtr resultLen);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_operation_cancel(IntPtr operation);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern uint aibperm_operation_result(IntPtr operation,
            out IntPtr result, out UIntPtr resultLen, out IntPtr error);

        [DllImport(Lib, CallingConvention = CallingConvention.Cdecl)]
        private static extern void aibperm_operation_free(IntPtr operation);

        /// <summary>Loads the library by full path so that DllImport("aibperm") binds to it (Windows).</summary>
        public static void PreloadWindows(string fullPath)
        {
            IntPtr handle = LoadLibraryW(fullPath);
            if (handle == IntPtr.Zero)
            {
                throw new System.ComponentModel.Win32Exception(Marshal.GetLastWin32Error(),
                    "LoadLibraryW failed for " + fullPath);
            }
        }

        public static string Version()
        {
            IntPtr ptr = aibperm_version();
            if (ptr == IntPtr.Zero)
            {
                return null;
            }
            int len = 0;
            while (Marshal.ReadByte(ptr, len) != 0)
            {
                len++;
            }
            byte[] bytes = new byte[len];
            Marshal.Copy(ptr, bytes, 0, len);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        /// <summary>Runs one offline export: role_generate, role_file_parse, role_file_render or scope_parse.</summary>
        public static uint CallOffline(string export, byte[] request, out byte[] result, out string errorJson)
        {
            IntPtr ptr;
            UIntPtr len;
            IntPtr error;
            UIntPtr requestLen = new UIntPtr((uint)request.Length);
            uint status;
            switch (export)
            {
                case "aibperm_role_generate":
                    status = aibperm_role_generate(request, requestLen, out ptr, out len, out error);
                    break;
                case "aibperm_role_file_parse":
                    status = aibperm_role_file_parse(request, requestLen, out ptr, out len, out error);
                    break;
                case "aibperm_role_file_render":
                    status = aibperm_role_file_render(request, requestLen, out ptr, out len, out error);
                    break;
                case "aibperm_scope_parse":
                    status = aibperm_scope_parse(request, requestLen, out ptr, out len, out error);
                    break;
                default:
                    throw new ArgumentException("not an offline export: " + export, "export");
            }
            return Finish(status, ptr, len, error, out result, out errorJson);
        }

        public static uint ClientNew(byte[] config, out IntPtr client, out string errorJson)
        {
            IntPtr error;
            IntPtr handle;
            uint status = aibperm_client_new(config, new UIntPtr((uint)config.Length), out handle, out error);
            client = status == StatusOk ? handle : IntPtr.Zero;
            errorJson = TakeError(error);
            return status;
        }

        public static void ClientFree(IntPtr client)
        {
            aibperm_client_free(client);
        }

        public static uint ClientTakeLog(IntPtr client, out byte[] result)
        {
            IntPtr ptr;
            UIntPtr len;
            string errorJson;
            uint status = aibperm_client_take_log(client, out ptr, out len);
            return Finish(status, ptr, len, IntPtr.Zero, out result, out errorJson);
        }

        public static uint OperationStart(IntPtr client, string name, byte[] request, out IntPtr operation, out string errorJson)
        {
            byte[] nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
            IntPtr error;
            IntPtr handle;
            uint status = aibperm_operation_start(client, nameBytes, new UIntPtr((uint)nameBytes.Length),
                request, new UIntPtr((uint)request.Length), out handle, out error);
            operation = status == StatusOk ? handle : IntPtr.Zero;
            errorJson = TakeError(error);
            return status;
        }

        public static uint OperationWait(IntPtr operation, uint timeoutMs)
        {
            return aibperm_operation_wait(operation, timeoutMs);
        }

        public static uint OperationProgress(IntPtr operation, out byte[] result)
        {
            IntPtr ptr;
            UIntPtr len;
            string errorJson;
            uint status = aibperm_operation_progress(operation, out ptr, out len);
            return Finish(status, ptr, len, IntPtr.Zero, out result, out errorJson);
        }

        public static uint OperationCancel(IntPtr operation)
        {
            return aibperm_operation_cancel(operation);
        }

        public static uint OperationResult(IntPtr operation, out byte[] result, out string errorJson)
        {
            IntPtr ptr;
            UIntPtr len;
            IntPtr error;
            uint status = aibperm_operation_result(operation, out ptr, out len, out error);
            return Finish(status, ptr, len, error, out result, out errorJson);
        }

        public static void OperationFree(IntPtr operation)
        {
            aibperm_operation_free(operation);
        }

        private static uint Finish(uint status, IntPtr ptr, UIntPtr len, IntPtr error, out byte[] result, out string errorJson)
        {
            result = null;
            if (status == StatusOk)
            {
                result = TakeBuffer(ptr, len);
            }
            errorJson = TakeError(error);
            return status;
        }

        /// <summary>Copies an owned buffer into managed memory and frees it.</summary>
        private static byte[] TakeBuffer(IntPtr ptr, UIntPtr len)
        {
            if (ptr == IntPtr.Zero)
            {
                return new byte[0];
            }
            try
            {
                int count = checked((int)len.ToUInt64());
                byte[] bytes = new byte[count];
                Marshal.Copy(ptr, bytes, 0, count);
                return bytes;
            }
            finally
            {
                aibperm_buffer_free(ptr, len);
            }
        }

        /// <summary>Renders an owned error object as JSON and frees it; null when there is none.</summary>
        private static string TakeError(IntPtr error)
        {
            if (error == IntPtr.Zero)
            {
                return null;
            }
            try
            {
                IntPtr json;
                UIntPtr jsonLen;
                if (aibperm_error_json(error, out json, out jsonLen) != StatusOk)
                {
                    return null;
                }
                return System.Text.Encoding.UTF8.GetString(TakeBuffer(json, jsonLen));
            }
            finally
            {
                aibperm_error_free(error);
            }
        }
    }
}
