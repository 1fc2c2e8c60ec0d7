fn main() {
    #[cfg(target_arch = "wasm32")]
    cg_inventory::mount_standalone();
}
