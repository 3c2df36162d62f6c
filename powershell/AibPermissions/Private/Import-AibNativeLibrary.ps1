function Import-AibNativeLibrary {
    # Compiles the P/Invoke class, binds "aibperm" to the file for this platform and checks
    # that the library is the version the manifest declares.
    [CmdletBinding()]
    param (
        [Parameter(Mandatory)]
        [string] $ModuleRoot,

        [Parameter(Mandatory)]
        [string] $ExpectedVersion
    )

    $facts = Get-AibPlatformInfo
    $pathSplat = @{
        ModuleRoot     = $ModuleRoot
        Platform       = $facts.Platform
        Architecture   = $facts.Architecture
        Is64BitProcess = $facts.Is64BitProcess
        OverridePath   = $env:AIBPERM_NATIVE_PATH
    }
    $target = Get-AibNativeLibraryPath @pathSplat

    if (-not (Test-Path -LiteralPath $target.Path -PathType Leaf)) {
        $message = "The AibPermissions native library for runtime '$($target.Rid)' was not found at '$($target.Path)'. Build it with 'pwsh ./build.ps1 build' or set AIBPERM_NATIVE_PATH to the library file."
        $exception = New-Object -TypeName System.IO.FileNotFoundException -ArgumentList $message, $target.Path
        throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'NativeLibraryNotFound', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $target.Path)
    }
    $fullPath = (Resolve-Path -LiteralPath $target.Path).ProviderPath

    if (-not ('AibPermissions.NativeMethods' -as [type])) {
        $source = Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'NativeMethods.cs') -Raw
        if ($facts.Platform -ne 'Windows') {
            $source += [System.Environment]::NewLine + (Get-Content -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath 'NativeResolver.cs') -Raw)
        }
        Add-Type -TypeDefinition $source -Language CSharp
    }

    if ($facts.Platform -eq 'Windows') {
        [AibPermissions.NativeMethods]::PreloadWindows($fullPath)
    } else {
        # PowerShell 7 only: Windows PowerShell 5.1 runs on Windows and takes the branch above.
        ('AibPermissions.NativeResolver' -as [type])::Register($fullPath)
    }

    $actual = [AibPermissions.NativeMethods]::Version()
    if ($actual -ne $ExpectedVersion) {
        $message = "The native library at '$fullPath' is version '$actual' but the module is version '$ExpectedVersion'. Rebuild with 'pwsh ./build.ps1 build' so both come from one source tree."
        $exception = New-Object -TypeName System.InvalidOperationException -ArgumentList $message
        throw (New-Object -TypeName System.Management.Automation.ErrorRecord -ArgumentList $exception, 'NativeLibraryVersionMismatch', ([System.Management.Automation.ErrorCategory]::InvalidResult), $fullPath)
    }
    $script:AibNativePath = $fullPath
    Write-Verbose "[AibPermissions] loaded native library $actual from $fullPath"
}
