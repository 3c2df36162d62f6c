Describe 'Get-AibNativeLibraryPath' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
    }

    Context 'when the process runs on <Platform> <Architecture> (64-bit: <Is64>)' -ForEach @(
        @{ Platform = 'Windows'; Architecture = 'X64'; Is64 = $true; Rid = 'win-x64'; File = 'aibperm.dll' }
        @{ Platform = 'Windows'; Architecture = 'AMD64'; Is64 = $true; Rid = 'win-x64'; File = 'aibperm.dll' }
        @{ Platform = 'Windows'; Architecture = 'Arm64'; Is64 = $true; Rid = 'win-arm64'; File = 'aibperm.dll' }
        @{ Platform = 'Windows'; Architecture = 'x86'; Is64 = $false; Rid = 'win-x86'; File = 'aibperm.dll' }
        @{ Platform = 'Windows'; Architecture = ''; Is64 = $true; Rid = 'win-x64'; File = 'aibperm.dll' }
        @{ Platform = 'Linux'; Architecture = 'X64'; Is64 = $true; Rid = 'linux-x64'; File = 'libaibperm.so' }
        @{ Platform = 'Linux'; Architecture = 'Arm64'; Is64 = $true; Rid = 'linux-arm64'; File = 'libaibperm.so' }
        @{ Platform = 'MacOS'; Architecture = 'X64'; Is64 = $true; Rid = 'osx-x64'; File = 'libaibperm.dylib' }
        @{ Platform = 'MacOS'; Architecture = 'Arm64'; Is64 = $true; Rid = 'osx-arm64'; File = 'libaibperm.dylib' }
    ) {
        It 'picks <Rid>/<File> under lib/' {
            $result = InModuleScope -ModuleName AibPermissions -Parameters $_ {
                param ($Platform, $Architecture, $Is64)
                Get-AibNativeLibraryPath -ModuleRoot 'root' -Platform $Platform -Architecture $Architecture -Is64BitProcess $Is64
            }
            $result.Rid | Should -Be $Rid
            $result.FileName | Should -Be $File
            $result.Path | Should -Be ([System.IO.Path]::Combine('root', 'lib', $Rid, $File))
            $result.Supported | Should -BeTrue
        }
    }

    Context 'when AIBPERM_NATIVE_PATH is set' {
        It 'uses that path and keeps the RID' {
            $result = InModuleScope -ModuleName AibPermissions {
                Get-AibNativeLibraryPath -ModuleRoot 'root' -Platform 'Windows' -Architecture 'X64' -Is64BitProcess $true -OverridePath 'C:\custom\aibperm.dll'
            }
            $result.Path | Should -Be 'C:\custom\aibperm.dll'
            $result.Rid | Should -Be 'win-x64'
        }
    }

    Context 'when the library is another version than the module' {
        It 'refuses to import with one NativeLibraryVersionMismatch error' {
            $cc = Get-Command -Name cc -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
            if (-not $cc -or -not (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue)) {
                Set-ItResult -Skipped -Because 'needs a C compiler and pwsh on PATH'
                return
            }
            # A stand-in library that only reports another version; loaded in a child process
            # because this process has bound the real library already.
            $source = Join-Path -Path $TestDrive -ChildPath 'old.c'
            $library = Join-Path -Path $TestDrive -ChildPath 'libaibperm.so'
            Set-Content -LiteralPath $source -Value 'const char *aibperm_version(void) { return "0.0.1"; }'
            & $cc.Source -shared -fPIC -o $library $source
            $manifest = Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1'
            $probe = "try { Import-Module -Name '$manifest' -ErrorAction Stop; 'imported' } catch { `$_.FullyQualifiedErrorId }"
            $env:AIBPERM_NATIVE_PATH = $library
            try {
                $output = @(& pwsh -NoProfile -NonInteractive -Command $probe)
            } finally {
                Remove-Item -Path Env:AIBPERM_NATIVE_PATH
            }
            $output.Count | Should -Be 1
            $output[0] | Should -BeLike 'NativeLibraryVersionMismatch,*'
        }
    }

    Context 'when the library file is missing' {
        It 'stops the import with one error naming the RID and the expected path' {
            $env:AIBPERM_NATIVE_PATH = Join-Path -Path $TestDrive -ChildPath 'missing/libaibperm.so'
            try {
                $err = $null
                try {
                    Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force
                } catch {
                    $err = $_
                }
                $err | Should -Not -BeNullOrEmpty
                $err.FullyQualifiedErrorId | Should -BeLike 'NativeLibraryNotFound*'
                $err.Exception.Message | Should -BeLike "*$($env:AIBPERM_NATIVE_PATH)*"
                $err.Exception.Message | Should -Match "runtime '(win|linux|osx)-(x64|arm64|x86)'"
            } finally {
                Remove-Item -Path Env:AIBPERM_NATIVE_PATH
                Import-Module -Name (Join-Path -Path $PSScriptRoot -ChildPath '../../../out/AibPermissions/AibPermissions.psd1') -Force
            }
        }
    }
}
