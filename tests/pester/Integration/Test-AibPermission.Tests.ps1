Describe 'Test-AibPermission against the emulator' -Tag 'Integration' {
    BeforeAll {
        . (Join-Path -Path $PSScriptRoot -ChildPath 'IntegrationHelpers.ps1')
        $emulator = Start-AibEmulator
        $sub = $emulator.SubscriptionId
        foreach ($group in 'aib-images', 'aib-network', 'aib-gallery') {
            New-TestResourceGroup -SubscriptionId $sub -Name $group
        }
        $identity = New-AibUserAssignedIdentity -Name 'aibIdentity' -ResourceGroupName 'aib-images'
        $rg = "/subscriptions/$sub/resourceGroups"
    }

    AfterAll {
        Stop-AibEmulator
    }

    Context 'when the identity lacks images/delete' {
        It 'lists exactly that action as missing' {
            $role = New-AibRoleDefinition -Role ([pscustomobject]@{
                Name             = 'Images without delete'
                Description      = 'test'
                Actions          = @('Microsoft.Compute/images/*')
                NotActions       = @('Microsoft.Compute/images/delete')
                AssignableScopes = @("$rg/aib-images")
            })
            $null = $identity | New-AibRoleAssignment -RoleDefinitionId $role.Id -ResourceGroupName 'aib-images' -ObjectType ServicePrincipal
            $result = $identity | Test-AibPermission -ImageResourceGroupName 'aib-images'
            $result.Ready | Should -BeFalse
            $result.Scopes[0].Missing | Should -Be @('Microsoft.Compute/images/delete')
            $result.Missing | Should -Be @("$rg/aib-images: Microsoft.Compute/images/delete")
        }
    }

    Context 'when an image template file is given' {
        It 'checks its distribution, subnet and identity, and turns Ready after Grant-AibPermission' {
            $template = [ordered]@{
                type       = 'Microsoft.VirtualMachineImages/imageTemplates'
                apiVersion = '2022-02-14'
                location   = 'westus2'
                identity   = @{ type = 'UserAssigned'; userAssignedIdentities = @{ $identity.Id = @{} } }
                properties = [ordered]@{
                    source     = @{ type = 'PlatformImage'; publisher = 'Canonical'; offer = 'ubuntu'; sku = '22_04-lts'; version = 'latest' }
                    distribute = @(
                        @{ type = 'SharedImage'; runOutputName = 'gallery'; replicationRegions = @('westus2'); galleryImageId = "$rg/aib-gallery/providers/Microsoft.Compute/galleries/g/images/ubuntu" }
                    )
                    vmProfile  = @{ vnetConfig = @{ subnetId = "$rg/aib-network/providers/Microsoft.Network/virtualNetworks/vnet/subnets/build" } }
                }
            }
            $file = Join-Path -Path $TestDrive -ChildPath 'imageTemplate.json'
            Set-Content -LiteralPath $file -Value ($template | ConvertTo-Json -Depth 10)

            $before = Test-AibPermission -TemplateFile $file
            $before.Ready | Should -BeFalse
            $before.PrincipalId | Should -Be $identity.PrincipalId
            $before.Missing | Should -Contain "$rg/aib-gallery: Microsoft.Compute/galleries/images/versions/write"
            $before.Missing | Should -Contain "$rg/aib-network: Microsoft.Network/virtualNetworks/subnets/join/action"

            $null = $identity | Grant-AibPermission -GalleryResourceGroupName 'aib-gallery' -VirtualNetworkResourceGroupName 'aib-network'
            $after = Test-AibPermission -TemplateFile $file
            $after.Ready | Should -BeTrue
        }
    }

    Context 'when the identity does not exist' {
        It 'is not Ready and lists every required action' {
            $result = Test-AibPermission -IdentityName 'missingIdentity' -ResourceGroupName 'aib-images' -VirtualNetworkResourceGroupName 'aib-network'
            $result.Ready | Should -BeFalse
            $result.PrincipalId | Should -BeNullOrEmpty
            $result.Scopes[0].Missing | Should -Be $result.Scopes[0].Required
        }
    }
}
