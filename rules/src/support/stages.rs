//! Which build stages end up in the image `docker build` produces.

use plimsoll_linter::InstructionCtx;

/// Whether the instruction's stage is the final stage or one it is built on (`FROM base`): what it does to
/// the filesystem or the image configuration ships. Instructions of other stages only reach the image
/// through an explicit `COPY --from=`.
pub fn ships(ctx: &InstructionCtx) -> bool {
    let (Some(stage), Some(last)) = (ctx.stage, ctx.doc.analysis.final_stage()) else { return false };
    ctx.doc.analysis.lineage(last.index).any(|s| s.index == stage.index)
}
