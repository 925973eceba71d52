// A thin C layer over GLPK 5 that does what Swift cannot: GLPK reports fatal errors by calling
// an error hook and then abort(); the only way back is a longjmp, which must never cross Swift
// frames. So every GLPK call of a solve — build, solve, read back, delete — runs inside one
// setjmp-guarded C function below, and Swift only sees flat arrays and a status code.
//
// Thread rule: GLPK keeps its environment in thread-local storage (Debian builds it with
// _Thread_local). A problem object is created, solved and deleted within one call on one thread,
// so concurrent calls on different threads are independent. After a fatal error the shim calls
// glp_free_env(), which frees every GLPK object of that thread; this is safe because no object
// outlives a call, and nested calls from inside a callback are refused (CGLPK_ENESTED).
#ifndef CGLPK_H
#define CGLPK_H

#include <stddef.h>
#include <glpk.h>

#ifdef __cplusplus
extern "C" {
#endif

// Column kinds.
enum { CGLPK_CONTINUOUS = 0, CGLPK_INTEGER = 1, CGLPK_BINARY = 2 };

// Shim status codes (besides GLPK's own return codes, which are passed through as positive).
enum {
    CGLPK_OK = 0,
    CGLPK_EFATAL = -1,    // GLPK reached its fatal-error path (message in the error buffer)
    CGLPK_ENESTED = -2,   // a solve was started from inside a callback of another solve
    CGLPK_EMODEL = -3,    // the arrays handed over are inconsistent
    CGLPK_EIO = -4,       // writing a file failed
};

// Final status of a solve, as seen by Swift.
enum {
    CGLPK_STATUS_OPTIMAL = 1,
    CGLPK_STATUS_FEASIBLE = 2,    // stopped (time limit / gap / callback) with an incumbent
    CGLPK_STATUS_INFEASIBLE = 3,
    CGLPK_STATUS_UNBOUNDED = 4,
    CGLPK_STATUS_NO_SOLUTION = 5, // stopped before any feasible point was found
    CGLPK_STATUS_UNDEFINED = 6,
};

// The model as flat arrays. Rows and columns are 0-based here; the matrix is given in
// compressed sparse row form: the entries of row i are row_start[i] ..< row_start[i+1].
typedef struct {
    int nrows;
    int ncols;
    int maximize;
    double obj_const;
    const double *obj;          // ncols
    const int *col_kind;        // ncols
    const int *col_type;        // ncols, GLP_FR / GLP_LO / GLP_UP / GLP_DB / GLP_FX
    const double *col_lb;       // ncols
    const double *col_ub;       // ncols
    const int *row_type;        // nrows
    const double *row_lb;       // nrows
    const double *row_ub;       // nrows
    const int *row_start;       // nrows + 1
    const int *entry_col;       // row_start[nrows], 0-based column indices
    const double *entry_val;    // row_start[nrows]
    const char *const *col_names; // ncols or NULL
    const char *const *row_names; // nrows or NULL
    const char *name;           // problem name or NULL
} cglpk_model;

// A row produced by a callback: indices are 0-based columns of the original model.
typedef struct {
    int type;
    double lb, ub;
    int len;
    const int *cols;
    const double *vals;
} cglpk_row;

// Called during branch-and-cut with the relaxation solution of the current node (reason
// GLP_IROWGEN) or with the new incumbent (GLP_IBINGO). The callee may add lazy rows through
// cglpk_cb_add_row; it must not call any other GLPK function. Returning non-zero stops the search.
typedef int (*cglpk_callback)(void *ctx, int reason, const double *x, int ncols, void *handle);

// Adds a row from inside a callback (GLP_IROWGEN only). Returns 0 on success.
int cglpk_cb_add_row(void *handle, const cglpk_row *row);

typedef struct {
    int mip;                // 1: branch-and-cut with integrality; 0: LP relaxation only
    int presolve;           // 1: GLPK presolver on
    int time_limit_ms;      // 0: none
    double mip_gap;         // relative gap at which to stop, 0: none
    int msg_level;          // GLP_MSG_OFF .. GLP_MSG_ALL
    int cuts;               // bits: 1 Gomory, 2 MIR, 4 cover, 8 clique cuts on
    int heuristics;         // 1: feasibility pump and proximity search on
    int branching;          // GLPK's br_tech: 0 its default (Driebeck-Tomlin), else GLP_BR_FFV .. GLP_BR_PCH
    const double *start;    // ncols or NULL: a feasible point offered as the first incumbent
    cglpk_callback callback;// or NULL
    void *callback_ctx;
    // Terminal output of GLPK goes here (NULL: discarded).
    void (*log)(void *ctx, const char *text);
    void *log_ctx;
} cglpk_params;

typedef struct {
    int code;               // CGLPK_* or a GLPK return code
    int status;             // CGLPK_STATUS_*
    double objective;
    double bound;           // best bound known (MIP), or objective (LP optimal); NaN if none
    double *x;              // caller-provided, ncols
    double *row_dual;       // caller-provided, nrows, or NULL (LP only)
    int nodes;              // branch-and-bound nodes examined (approximate)
    char message[512];      // fatal-error text or a short explanation
} cglpk_result;

// Builds, solves and deletes the problem, all under one error guard.
void cglpk_solve(const cglpk_model *model, const cglpk_params *params, cglpk_result *result);

// Writes the model in CPLEX LP format. Returns CGLPK_OK, CGLPK_EIO or CGLPK_EFATAL.
int cglpk_write_lp(const cglpk_model *model, const char *path, char *message, size_t message_len);

// "5.0" and whether the environment is thread-local.
const char *cglpk_version(void);
int cglpk_thread_local(void);

#ifdef __cplusplus
}
#endif
#endif
