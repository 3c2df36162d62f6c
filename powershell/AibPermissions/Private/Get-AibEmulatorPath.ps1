function Get-AibEmulatorPath {
    # Where the emulator binary is: -Path, else AIBPERM_EMULATOR_PATH, else bin/<rid>/ next to
    # the module as build.ps1 stages it.
    [CmdletBinding()]
    [OutputType([string])]
    param (
        [AllowEmptyString()]
        [AllowNull()]
        [string] $Path,

        [Parameter(Mandatory)]
        [string] $ModuleRoot
    )

    if ($Path) {
        return $Path
    }
    if ($env:AIBPERM_EMULATOR_PATH) {
        return $env:AIBPERM_EMULATOR_PATH
    }
    $facts = Get-AibPlatformInfo
    $pathSplat = @{
        ModuleRoot     = $ModuleRoot
        Platform       = $facts.Platform
        Architecture   = $facts.Architecture
        Is64BitProcess = $facts.Is64BitProcess
    }
    $native = Get-AibNativeLibraryPath @pathSplat
    $fileName = 'aibperm-emulator'
    if ($facts.Platform -eq 'Windows') {
        $fileName += '.exe'
    }
    return [System.IO.Path]::Combine($ModuleRoot, 'bin', $native.Rid, $fileName)
}
