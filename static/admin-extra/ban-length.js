// The ban forms' "For how long": picking a preset length clears the end given below it, and
// giving an end picks "Until…". Without JavaScript the server says which of the two to keep.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
    const choices = document.querySelectorAll("input[name=length]");
    const ends = document.querySelectorAll(
        "input[name=ends], input[name=expires_0], input[name=expires_1]"
    );
    const until = document.querySelector("input[name=length][value=until]");
    if (!until) {
        return;
    }
    for (const choice of choices) {
        choice.addEventListener("change", () => {
            if (choice.checked && choice !== until) {
                for (const end of ends) {
                    end.value = "";
                }
            }
        });
    }
    for (const end of ends) {
        for (const type of ["input", "change"]) {
            end.addEventListener(type, () => {
                if (end.value) {
                    until.checked = true;
                }
            });
        }
    }
});
