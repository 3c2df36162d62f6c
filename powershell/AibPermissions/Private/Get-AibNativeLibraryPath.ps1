function Get-AibNativeLibraryPath {
    # Pure path logic: which runtime identifier and library file this process needs.
    [CmdletBinding()]
    [OutputType([hashtable])]
    param (
        [Parameter(Mandatory)]
        [string] $ModuleRoot,

        [Parameter(Mandatory)]
        [ValidateSet('Windows', 'Linux', 'MacOS')]
        [string] $Platform,

        [AllowEmptyString()]
        [string] $Architecture,

        [Parameter(Mandatory)]
        [bool] $Is64BitProcess,

        [AllowEmptyString()]
        [string] $OverridePath
    )

    $arch = 'x64'
    if (-not $Is64BitProcess) {
        $arch = 'x86'
    } elseif ($Architecture -match '^(arm64|aarch64)$') {
        $arch = 'arm64'
    }

    switch ($Platform) {
        'Windows' {
            $rid = "win-$arch"
            $fileName = 'aibperm.dll'
        }
        'Linux' {
            $rid = "linux-$arch"
            $fileName = 'libaibperm.so'
        }
        'MacOS' {
            $rid = "osx-$arch"
            $fileName = 'libaibperm.dylib'
        }
    }

    $path = [System.IO.Path]::Combine($ModuleRoot, 'lib', $rid, $fileName)
    if ($OverridePath) {
        $path = $OverridePath
    }

    @{
        Rid      = $rid
        FileName = $fileName
        Path     = $path
        Supported = $rid -in @('win-x64', 'win-arm64', 'win-x86', 'linux-x64', 'linux-arm64', 'osx-x64', 'osx-arm64')
    }
}
