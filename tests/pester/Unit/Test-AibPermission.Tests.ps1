Describe 'Test-AibPermission' -Tag 'Unit' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'UnitHelpers.ps1')
        $rgScope = "/subscriptions/$SubscriptionId/resourceGroups/rg-images"
    }

    BeforeEach {
        Mock -CommandName Invoke-AibNative -ModuleName AibPermissions -ParameterFilter { $Operation -eq 'permission.test' } -MockWith {
            [pscustomobject]@{
                ready       = $false
                principalId = $PrincipalId
                scopes      = @(
                    [pscustomobject]@{
                        scope     = $rgScope
                        scenarios = @('ManagedImageDistribution')
                        required  = @('Microsoft.Compute/images/write', 'Microsoft.Compute/images/read', 'Microsoft.Compute/images/delete')
                        granted   = @('Microsoft.Compute/images/write', 'Microsoft.Compute/images/read')
                        missing   = @('Microsoft.Compute/images/delete')
                        roles     = @('Image role')
                    }
                )
            }
        }
    }

    AfterEach {
        Reset-TestSession
    }

    Context 'when the parameters are read' {
        It 'takes the parameters of Grant-AibPermission and -TemplateFile, and changes nothing' {
            $command = Get-Command -Name Test-AibPermission
            $grant = Get-Command -Name Grant-AibPermission
            foreach ($name in $grant.Parameters.Keys | Where-Object { $_ -notin 'WhatIf', 'Confirm' }) {
                $command.Parameters.Keys | Should -Contain $name
            }
            $command.Parameters.Keys | Should -Contain 'TemplateFile'
            $command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }

    Context 'when given a plan by parameters' {
        It 'sends it as plan, without the grant-only fields' {
            $null = Test-AibPermission -PrincipalId $PrincipalId -ImageResourceGroupName 'rg-images' -SubscriptionId $SubscriptionId -ReplicationTimeoutSeconds 30
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'permission.test' -and $Request['plan']['principalId'] -eq $PrincipalId -and
                $Request['plan']['imageResourceGroupName'] -eq 'rg-images' -and -not $Request['plan'].Contains('replicationTimeoutSeconds')
            }
        }

        It 'returns Ready and the missing actions per scope' {
            $result = Test-AibPermission -PrincipalId $PrincipalId -ImageResourceGroupName 'rg-images' -SubscriptionId $SubscriptionId
            $result.PSObject.TypeNames | Should -Contain 'AibPermissions.PermissionTestResult'
            $result.Ready | Should -BeFalse
            $result.Missing | Should -Be @("$($rgScope): Microsoft.Compute/images/delete")
            $result.Scopes[0].PSObject.TypeNames | Should -Contain 'AibPermissions.ScopePermission'
            $result.Scopes[0].Missing | Should -Be @('Microsoft.Compute/images/delete')
            $result.Scopes[0].Granted.Count | Should -Be 2
        }
    }

    Context 'when given a template file' {
        It 'sends the template and the principal' {
            $file = Join-Path -Path $TestDrive -ChildPath 'template.json'
            Set-Content -LiteralPath $file -Value '{"type": "Microsoft.VirtualMachineImages/imageTemplates", "properties": {"distribute": []}}'
            $null = Test-AibPermission -TemplateFile $file -PrincipalId $PrincipalId
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 1 -Exactly -ParameterFilter {
                $Operation -eq 'permission.test' -and $Request['principalId'] -eq $PrincipalId -and
                $Request['template'].type -eq 'Microsoft.VirtualMachineImages/imageTemplates' -and -not $Request.Contains('plan')
            }
        }

        It 'reports a missing file as bad input without a native call' {
            $failure = $null
            try {
                Test-AibPermission -TemplateFile (Join-Path -Path $TestDrive -ChildPath 'none.json')
            } catch {
                $failure = $_
            }
            $failure.FullyQualifiedErrorId | Should -BeLike 'INVALID_ARGUMENT.TemplateFile*'
            Should -Invoke -CommandName Invoke-AibNative -ModuleName AibPermissions -Times 0 -Exactly
        }
    }
}
