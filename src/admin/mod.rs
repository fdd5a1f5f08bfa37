//! The admin transport: `counterclaim.admin.v1` (knowledge-base updates while serving, and
//! moderators' feedback), on its own address so it can be exposed apart from the matching API.
//!
//! - `feedback`: `SubmitFeedback`, appended to the data directory's feedback file.

pub mod feedback;

/// The generated `counterclaim.admin.v1` types, client and server.
pub mod pb {
    tonic::include_proto!("counterclaim.admin.v1");

    /// The encoded file descriptor set, for reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("admin_descriptor");
}
