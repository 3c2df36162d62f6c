Describe 'Disable-AibAzCompatibility' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $map = @(InModuleScope -ModuleName AibPermissions { Get-AibAzCommandMap })

        function Remove-TestAzName {
            foreach ($entry in $map) {
                if (Get-Alias -Name $entry.AzName -Scope Global -ErrorAction Ignore) {
                    Remove-Item -Path "Alias:\$($entry.AzName)" -Force
                }
                if (Test-Path -Path "Function:\$($entry.AzName)") {
                    Remove-Item -Path "Function:\$($entry.AzName)" -Force
                }
            }
        }
    }

    BeforeEach {
        Remove-TestAzName
    }

    AfterEach {
        Remove-TestAzName
    }

    Context 'when compatibility is enabled' {
        BeforeEach {
            $enabled = @(Enable-AibAzCompatibility -PassThru)
        }

        It 'removes every Az name Enable-AibAzCompatibility made' {
            $removed = @(Disable-AibAzCompatibility -PassThru)
            @($removed | ForEach-Object { $_.Name }) | Should -Be @($enabled | ForEach-Object { $_.Name })
            @($removed | ForEach-Object { $_.Kind }) | Should -Be @($enabled | ForEach-Object { $_.Kind })
            foreach ($entry in $map) {
                Get-Command -Name $entry.AzName -ErrorAction Ignore | Should -BeNullOrEmpty
            }
        }

        It 'keeps them with -WhatIf' {
            Disable-AibAzCompatibility -WhatIf
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'New-AibRoleAssignment'
            foreach ($item in $enabled) {
                Get-Command -Name $item.Name | Should -Not -BeNullOrEmpty
            }
        }
    }

    Context 'when an Az name is an alias or function that is not the module''s' {
        It 'leaves the alias alone' {
            Set-Alias -Name 'New-AzRoleAssignment' -Value 'Get-Date' -Scope Global
            Disable-AibAzCompatibility
            (Get-Alias -Name 'New-AzRoleAssignment' -Scope Global).Definition | Should -Be 'Get-Date'
        }

        It 'leaves the function alone' {
            $null = New-Item -Path 'Function:\global:Remove-AzRoleAssignment' -Value { 'mine' }
            Disable-AibAzCompatibility
            Remove-AzRoleAssignment | Should -Be 'mine'
        }
    }

    Context 'when nothing is enabled' {
        It 'does nothing and returns nothing' {
            Disable-AibAzCompatibility -PassThru | Should -BeNullOrEmpty
        }
    }
}
