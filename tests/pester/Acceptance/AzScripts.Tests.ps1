Describe 'Scripts written for Az' -Tag 'Acceptance' {
    BeforeAll {
        # The lines a script's owner adds in place of installing and signing in to Az: import
        # the module, turn on the Az names, connect (here: to the emulator, with a replication
        # delay and a role visibility delay as Azure has them).
        . (Join-Path -Path $PSScriptRoot -ChildPath '../Integration/IntegrationHelpers.ps1')
        Enable-AibAzCompatibility
        $emulator = Start-AibEmulator -ReplicationDelaySeconds 3 -RoleVisibilityDelaySeconds 2

        $sub = $emulator.SubscriptionId
        foreach ($group in 'aib-images', 'aib-network', 'aib-gallery') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $scriptRoot = Join-Path -Path $PSScriptRoot -ChildPath 'AzScripts'
        $samples = Join-Path -Path $PSScriptRoot -ChildPath '../../data/aib-samples'
        $sampleBase = 'https://raw.githubusercontent.com/azure/azvmimagebuilder/master/solutions/12_Creating_AIB_Security_Roles/'

        # The scripts download the documented role samples; the download is served from the
        # copies in tests/data. Nothing else may be fetched.
        Mock -CommandName Invoke-WebRequest -ParameterFilter { $Uri -like "$sampleBase*.json" } -MockWith {
            $name = ([string]$Uri).Substring($sampleBase.Length)
            Copy-Item -LiteralPath (Join-Path -Path $samples -ChildPath $name) -Destination $OutFile
        }
        Mock -CommandName Invoke-WebRequest -MockWith { throw "unexpected download of $Uri" }

        $work = Join-Path -Path $TestDrive -ChildPath 'work'
        $null = New-Item -ItemType Directory -Path $work
        Push-Location -LiteralPath $work

        function Get-TestRole {
            param ([string] $RoleName)
            @((Get-EmulatorState -Emulator $emulator).roleDefinitions | Where-Object { $_.properties.roleName -eq $RoleName })
        }

        function Get-TestAssignment {
            param ([string] $PrincipalId, [string] $Scope)
            @((Get-EmulatorState -Emulator $emulator).roleAssignments | Where-Object {
                    $_.properties.principalId -eq $PrincipalId -and $_.properties.scope -eq $Scope
                })
        }
    }

    AfterAll {
        Pop-Location
        Stop-AibEmulator
        Disable-AibAzCompatibility
    }

    Context 'when the documented image creation recipe runs' {
        BeforeAll {
            $output = @(& (Join-Path -Path $scriptRoot -ChildPath 'New-AibImageCreationSetup.ps1') -SubscriptionId $sub -ImageResourceGroup 'aib-images' -Location 'westus2')
            $setup = $output[-1]
            $imageScope = "/subscriptions/$sub/resourceGroups/aib-images"
        }

        It 'downloads the sample once, through the mock' {
            Should -Invoke -CommandName Invoke-WebRequest -Times 1 -Exactly -Scope Context -ParameterFilter { $Uri -like '*aibRoleImageCreation.json' }
        }

        It 'creates the identity in the resource group' {
            $identity = @((Get-EmulatorState -Emulator $emulator).userAssignedIdentities | Where-Object { $_.name -eq $setup.IdentityName })
            $identity.Count | Should -Be 1
            $identity[0].id | Should -Be $setup.IdentityId
            $identity[0].properties.principalId | Should -Be $setup.PrincipalId
        }

        It 'creates the role from the patched file, with its timestamped name and the sample actions' {
            $role = Get-TestRole -RoleName $setup.RoleName
            $role.Count | Should -Be 1
            $role[0].properties.assignableScopes | Should -Be @($imageScope)
            $role[0].properties.permissions[0].actions | Should -Be @(
                'Microsoft.Compute/galleries/read'
                'Microsoft.Compute/galleries/images/read'
                'Microsoft.Compute/galleries/images/versions/read'
                'Microsoft.Compute/galleries/images/versions/write'
                'Microsoft.Compute/images/write'
                'Microsoft.Compute/images/read'
                'Microsoft.Compute/images/delete'
            )
        }

        It 'assigns that role to the new identity at the resource group, despite the replication delay' {
            $role = Get-TestRole -RoleName $setup.RoleName
            $assignment = Get-TestAssignment -PrincipalId $setup.PrincipalId -Scope $imageScope
            $assignment.Count | Should -Be 1
            ($assignment[0].properties.roleDefinitionId -split '/')[-1] | Should -Be $role[0].name
        }

        It 'prints what it did, as it does with Az' {
            $output[0] | Should -BeLike "Created role $($setup.RoleName) (*)"
            $output[1] | Should -Be "Assigned $($setup.RoleName) to $($setup.PrincipalId) at $imageScope"
        }
    }

    Context 'when the networking script runs for an existing identity' {
        BeforeAll {
            $identityName = 'aibNetworkIdentity'
            $null = New-AzUserAssignedIdentity -ResourceGroupName 'aib-images' -Name $identityName -Location 'westus2'
            $result = @(& (Join-Path -Path $scriptRoot -ChildPath 'Add-AibNetworkingRole.ps1') -SubscriptionId $sub -IdentityResourceGroup 'aib-images' -IdentityName $identityName -VnetResourceGroup 'aib-network')
            $vnetScope = "/subscriptions/$sub/resourceGroups/aib-network"
        }

        It 'creates the networking role at the virtual network resource group and assigns it' {
            $result.Count | Should -Be 1
            $result[0].Scope | Should -Be $vnetScope
            $role = Get-TestRole -RoleName $result[0].RoleDefinitionName
            $role.Count | Should -Be 1
            $role[0].properties.permissions[0].actions | Should -Be @(
                'Microsoft.Network/virtualNetworks/read'
                'Microsoft.Network/virtualNetworks/subnets/join/action'
            )
            $assignment = Get-TestAssignment -PrincipalId $result[0].ObjectId -Scope $vnetScope
            $assignment.Count | Should -Be 1
            ($assignment[0].properties.roleDefinitionId -split '/')[-1] | Should -Be $role[0].name
        }
    }

    Context 'when a role is copied and widened with Get-, New- and Set-AzRoleDefinition' {
        BeforeAll {
            $source = [pscustomobject]@{
                Name             = 'Image Builder source role ' + (Get-Date -UFormat '%s')
                Description      = 'Image Builder managed image distribution'
                Actions          = @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write')
                NotActions       = @()
                AssignableScopes = @("/subscriptions/$sub/resourceGroups/aib-images")
            }
            $sourceId = (New-AzRoleDefinition -Role $source).Id
            $copyArguments = @{
                SubscriptionId      = $sub
                SourceRoleName      = $source.Name
                SourceResourceGroup = 'aib-images'
                TargetRoleName      = $source.Name + ' copy'
                TargetResourceGroup = 'aib-gallery'
            }
            $copy = @(& (Join-Path -Path $scriptRoot -ChildPath 'Copy-AibImageRole.ps1') @copyArguments)
        }

        It 'creates the copy with the added action at the other resource group' {
            $copy.Count | Should -Be 1
            $role = Get-TestRole -RoleName ($source.Name + ' copy')
            $role.Count | Should -Be 1
            $role[0].properties.permissions[0].actions | Should -Be @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write', 'Microsoft.Compute/snapshots/read')
            $role[0].properties.assignableScopes | Should -Be @("/subscriptions/$sub/resourceGroups/aib-gallery")
            $copy[0].Id | Should -Be $role[0].name
        }

        It 'updates the original in place, keeping its id' {
            $role = Get-TestRole -RoleName $source.Name
            $role.Count | Should -Be 1
            $role[0].name | Should -Be $sourceId
            $role[0].properties.permissions[0].actions | Should -Be @('Microsoft.Compute/images/read', 'Microsoft.Compute/images/write', 'Microsoft.Compute/disks/read')
            $role[0].properties.assignableScopes | Should -Be @("/subscriptions/$sub/resourceGroups/aib-images")
        }
    }

    Context 'when the clean-up script runs after the recipe' {
        BeforeAll {
            $setup = @(& (Join-Path -Path $scriptRoot -ChildPath 'New-AibImageCreationSetup.ps1') -SubscriptionId $sub -ImageResourceGroup 'aib-images' -Location 'westus2')[-1]
            $removed = @(& (Join-Path -Path $scriptRoot -ChildPath 'Remove-AibImageCreationSetup.ps1') -SubscriptionId $sub -ImageResourceGroup 'aib-images' -IdentityName $setup.IdentityName -RoleName $setup.RoleName)
        }

        It 'removes the assignment, the role and the identity' {
            $removed[-1] | Should -Be "Removed $($setup.RoleName) and $($setup.IdentityName)"
            $state = Get-EmulatorState -Emulator $emulator
            @($state.roleAssignments | Where-Object { $_.properties.principalId -eq $setup.PrincipalId }).Count | Should -Be 0
            @($state.roleDefinitions | Where-Object { $_.properties.roleName -eq $setup.RoleName }).Count | Should -Be 0
            @($state.userAssignedIdentities | Where-Object { $_.name -eq $setup.IdentityName }).Count | Should -Be 0
        }
    }
}
