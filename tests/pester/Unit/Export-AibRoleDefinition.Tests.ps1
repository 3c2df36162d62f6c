Describe 'Export-AibRoleDefinition' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $fileText = "{`n  `"Name`": `"Image Builder rg`"`n}`n"
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_generate' } -MockWith {
            [pscustomobject]@{ roleName = 'Image Builder rg'; assignableScopes = @('/subscriptions/x/resourceGroups/rg') }
        }
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'role_file_render' } -MockWith {
            , ([System.Text.Encoding]::UTF8.GetBytes($fileText))
        }
    }

    Context 'when the file does not exist' {
        It 'renders in the asked format and writes the bytes without a BOM' {
            $path = Join-Path -Path $TestDrive -ChildPath 'role.json'
            $file = Export-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path $path -Format Permissions
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'role_file_render' -and $Offline -and $Raw -and $Request.format -eq 'Permissions' -and $Request.role.roleName -eq 'Image Builder rg'
            }
            $file | Should -BeOfType [System.IO.FileInfo]
            $bytes = [System.IO.File]::ReadAllBytes($path)
            $bytes[0] | Should -Be ([byte][char]'{')
            [System.Text.Encoding]::UTF8.GetString($bytes) | Should -BeExactly $fileText
        }

        It 'defaults to the flat format' {
            $null = Export-AibRoleDefinition -Scenario Networking -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path (Join-Path -Path $TestDrive -ChildPath 'flat.json')
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter { $Request.format -eq 'Flat' }
        }
    }

    Context 'when -WhatIf is given' {
        It 'writes no file' {
            $path = Join-Path -Path $TestDrive -ChildPath 'whatif.json'
            Export-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path $path -WhatIf
            Test-Path -LiteralPath $path | Should -BeFalse
        }
    }

    Context 'when the file exists' {
        It 'refuses without -Force and keeps the file' {
            $path = Join-Path -Path $TestDrive -ChildPath 'exists.json'
            Set-Content -LiteralPath $path -Value 'old'
            { Export-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path $path } |
                Should -Throw -ErrorId 'FileExists,Export-AibRoleDefinition'
            (Get-Content -LiteralPath $path -Raw).Trim() | Should -Be 'old'
        }

        It 'replaces it with -Force' {
            $path = Join-Path -Path $TestDrive -ChildPath 'forced.json'
            Set-Content -LiteralPath $path -Value 'old'
            $null = Export-AibRoleDefinition -Scenario ImageCreation -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path $path -Force
            Get-Content -LiteralPath $path -Raw | Should -BeExactly $fileText
        }
    }

    Context 'when the scenario is unknown' {
        It 'fails with InvalidArgument naming Scenario and writes nothing' {
            $path = Join-Path -Path $TestDrive -ChildPath 'unknown.json'
            { Export-AibRoleDefinition -Scenario 'Imaging' -SubscriptionId $SubscriptionId -ResourceGroupName 'rg' -Path $path } |
                Should -Throw -ErrorId 'INVALID_ARGUMENT.Scenario,Export-AibRoleDefinition'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
            Test-Path -LiteralPath $path | Should -BeFalse
        }
    }
}
