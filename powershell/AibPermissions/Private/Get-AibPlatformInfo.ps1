function Get-AibPlatformInfo {
    # Facts about the running process that decide which native library to load.
    [CmdletBinding()]
    [OutputType([hashtable])]
    param ()

    $platform = 'Windows'
    if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Unix) {
        $platform = 'Linux'
        $runtimeInfo = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
        if ($null -ne $runtimeInfo -and $runtimeInfo::IsOSPlatform([System.Runtime.InteropServices.OSPlatform]::OSX)) {
            $platform = 'MacOS'
        }
    }

    # RuntimeInformation.ProcessArchitecture is missing on old .NET Framework builds that
    # Windows PowerShell 5.1 may run on; PROCESSOR_ARCHITECTURE is the process's view there.
    $architecture = $null
    $runtimeInfo = 'System.Runtime.InteropServices.RuntimeInformation' -as [type]
    if ($null -ne $runtimeInfo) {
        $architecture = [string]$runtimeInfo::ProcessArchitecture
    }
    if (-not $architecture) {
        $architecture = [string]$env:PROCESSOR_ARCHITECTURE
    }

    @{
        Platform       = $platform
        Architecture   = $architecture
        Is64BitProcess = [System.Environment]::Is64BitProcess
    }
}
